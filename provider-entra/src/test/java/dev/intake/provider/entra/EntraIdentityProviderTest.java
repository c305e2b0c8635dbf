package dev.intake.provider.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.Secret;
import dev.intake.provider.AuthorizationCode;
import dev.intake.provider.AuthorizationFailedException;
import dev.intake.provider.AuthorizationRequest;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.Grant;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.ImapEndpoint;
import dev.intake.provider.Pkce;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TokenResponse;
import dev.intake.provider.TransientProviderException;
import dev.intake.testing.CallbackServer;
import dev.intake.testing.FakeAuthorizationServer.AddressClaim;
import dev.intake.testing.FakeAuthorizationServer.Failure;
import dev.intake.testing.FormEncoding;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EntraIdentityProviderTest {

    private final EntraTestBed bed = new EntraTestBed();
    private final IdentityProvider provider = bed.provider();

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void isFoundByTypeAndKnowsOutlooksImapServer() {
        assertThat(provider.type()).isEqualTo("entra");
        assertThat(provider.imapDefaults()).isEqualTo(new ImapEndpoint("outlook.office365.com", 993));
    }

    @Test
    void authorizationUrlCarriesStatePkceScopesHintPromptAndFormPost() throws Exception {
        Pkce pkce = Pkce.generate();
        URI url = provider.authorizationUrl(new AuthorizationRequest(bed.callback.redirectUri(), "st-123", pkce, "alice@contoso.example"));

        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath())
                .isEqualTo(bed.fake.authUri().toString());
        Map<String, String> query = FormEncoding.query(url);
        assertThat(query).containsEntry("client_id", EntraTestBed.CLIENT_ID)
                .containsEntry("redirect_uri", bed.callback.redirectUri().toString())
                .containsEntry("response_type", "code")
                .containsEntry("response_mode", "form_post")
                .containsEntry("state", "st-123")
                .containsEntry("code_challenge", pkce.challenge())
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("login_hint", "alice@contoso.example")
                .containsEntry("prompt", "select_account");
        assertThat(query.get("scope").split(" ")).containsExactlyInAnyOrder(
                "https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access", "openid", "profile", "email");
        assertThat(query.toString()).doesNotContain(pkce.verifier().reveal()).doesNotContain(EntraTestBed.SECRET);
    }

    @Test
    void roundTripThroughTheBrowserYieldsAGrantAndTheSignedInAccount() throws Exception {
        bed.fake.signInAs("Alice@Contoso.Example");
        Pkce pkce = Pkce.generate();
        CallbackServer.Callback arrived = bed.signIn(provider, pkce, "st-1");

        assertThat(arrived.method()).as("Entra answers with form_post").isEqualTo("POST");
        assertThat(arrived.param("state")).isEqualTo("st-1");
        AuthorizedGrant authorized = provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier()));

        assertThat(authorized.account()).isEqualTo("alice@contoso.example");
        assertThat(authorized.grant().material()).contains(bed.fake.currentRefreshToken());
        assertThat(authorized.accessToken()).hasValueSatisfying(token -> {
            assertThat(token.value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
            assertThat(token.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
        });
        assertThat(bed.fake.tokenRequests("authorization_code")).isEqualTo(1);
    }

    @Test
    void aCodeRedeemedWithAnotherVerifierIsRefused() throws Exception {
        CallbackServer.Callback arrived = bed.signIn(provider, Pkce.generate(), "st");

        assertThatThrownBy(() -> provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), bed.callback.redirectUri(), Pkce.generate().verifier())))
                .isInstanceOf(AuthorizationFailedException.class)
                .hasMessageStartingWith("AADSTS501481: ")
                .hasMessageContaining("Start the authorization again");
    }

    @Test
    void aCodeCannotBeRedeemedTwice() throws Exception {
        Pkce pkce = Pkce.generate();
        CallbackServer.Callback arrived = bed.signIn(provider, pkce, "st");
        AuthorizationCode code = new AuthorizationCode(Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier());
        provider.redeem(code);

        assertThatThrownBy(() -> provider.redeem(code))
                .isInstanceOf(AuthorizationFailedException.class)
                .hasMessageStartingWith("AADSTS54005: ")
                .hasMessageContaining("already used");
    }

    @Test
    void accessTokenRefreshesAndReturnsTheRotatedGrant() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        String firstRefreshToken = bed.fake.currentRefreshToken();

        TokenResponse refreshed = provider.accessToken(authorized.grant());

        assertThat(bed.fake.tokenRequests("refresh_token")).isEqualTo(1);
        assertThat(refreshed.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
        assertThat(refreshed.rotatedGrant()).hasValueSatisfying(rotated -> {
            assertThat(rotated).isNotEqualTo(authorized.grant());
            assertThat(rotated.material()).contains(bed.fake.currentRefreshToken()).doesNotContain(firstRefreshToken);
        });

        // the rotated grant keeps working; the old one is refused because its refresh token was replaced
        assertThat(provider.accessToken(refreshed.rotatedGrant().orElseThrow()).accessToken().value().reveal())
                .isEqualTo(last(bed.fake.issuedAccessTokens()));
        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .hasMessageContaining("Authorize the mailbox again");
    }

    @Test
    void withoutRotationTheRefreshStillWorksFromTheSameGrant() throws Exception {
        bed.fake.rotateRefreshTokens(false);
        AuthorizedGrant authorized = bed.authorize(provider);

        provider.accessToken(authorized.grant());
        TokenResponse second = provider.accessToken(authorized.grant());

        assertThat(second.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
        assertThat(bed.fake.issuedRefreshTokens()).hasSize(1);
    }

    @Test
    void anExpiredRefreshTokenNeedsReauthorizationWithTheAadstsCode() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.failTokenRequests(1, Failure.INVALID_GRANT);

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOfSatisfying(ReauthorizationRequiredException.class,
                        e -> assertThat(e.code()).hasValue("AADSTS700082"))
                .hasMessage("AADSTS700082: The mailbox's refresh token expired because Intake did not use it for 90 days."
                        + " Authorize the mailbox again.");
    }

    @Test
    void aRevokedGrantNeedsReauthorization() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.revokeAll();

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .hasMessageStartingWith("AADSTS50173: ")
                .hasMessageContaining("password");
    }

    @Test
    void aRejectedClientSecretKeepsTheGrantAndNamesTheConfigKey() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.acceptClientSecrets("a-newer-secret");

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOfSatisfying(ClientCredentialsRejectedException.class,
                        e -> assertThat(e.code()).hasValue("AADSTS7000215"))
                .hasMessageStartingWith("AADSTS7000215: ")
                .hasMessageContaining("providers.entra.client-secret")
                .hasMessageContaining("Value, not its Secret ID");

        // the operator sets the new secret: the app builds a new provider, and the same grant works again
        TokenResponse again = bed.provider("a-newer-secret").accessToken(authorized.grant());
        assertThat(again.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
    }

    @Test
    void anExpiredClientSecretSaysToCreateANewOne() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.failTokenRequests(1, Failure.CLIENT_SECRET_EXPIRED);

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageStartingWith("AADSTS7000222: The client secret has expired.")
                .hasMessageContaining("providers.entra.client-secret");
    }

    @Test
    void serverErrorsAndThrottlingAreTransientAndTheGrantSurvivesThem() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.failTokenRequests(1, Failure.SERVER_ERROR).failTokenRequests(1, Failure.THROTTLED);

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(TransientProviderException.class)
                .hasMessageStartingWith("AADSTS90033: ");
        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(TransientProviderException.class)
                .hasMessageStartingWith("AADSTS50196: ");
        assertThat(provider.accessToken(authorized.grant()).accessToken().value().reveal())
                .isEqualTo(last(bed.fake.issuedAccessTokens()));
    }

    @Test
    void anUnreachableEndpointIsTransient() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        IdentityProvider unreachable = dev.intake.provider.IdentityProviders.discover().create(
                bed.config(URI.create("https://localhost:" + closedPort + "/")), Secret.of(EntraTestBed.SECRET),
                EntraTestBed.trustingTestCertificates());

        assertThatThrownBy(() -> unreachable.accessToken(authorized.grant()))
                .isInstanceOfSatisfying(TransientProviderException.class, e -> assertThat(e.code()).hasValue("network"))
                .hasMessageContaining("could not reach Entra");
    }

    @Test
    void aWrongAuthorityIsAConfigurationProblemNotADeadGrant() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        IdentityProvider misconfigured = dev.intake.provider.IdentityProviders.discover().create(
                bed.config(bed.fake.authority().resolve("wrong-prefix/")), Secret.of(EntraTestBed.SECRET),
                EntraTestBed.trustingTestCertificates());

        assertThatThrownBy(() -> misconfigured.accessToken(authorized.grant()))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("providers.entra.authority");
    }

    @Test
    void anUnknownTenantIsAConfigurationProblem() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.failTokenRequests(1, 400, "invalid_request", "AADSTS90002: Tenant 'contoso.example' not found.");

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageStartingWith("AADSTS90002: Entra does not know the tenant. Check providers.entra.tenant");
    }

    @Test
    void theAccessTokenExpiresWhenEntraSays() throws Exception {
        bed.fake.accessTokenLifetime(Duration.ofMinutes(5));
        AuthorizedGrant authorized = bed.authorize(provider);

        Instant expiresAt = provider.accessToken(authorized.grant()).accessToken().expiresAt();

        assertThat(expiresAt).isBetween(Instant.now().plus(Duration.ofMinutes(4)), Instant.now().plus(Duration.ofMinutes(6)));
    }

    @Test
    void anExpiredCodeFailsTheAuthorization() {
        bed.fake.codeLifetime(Duration.ZERO);

        assertThatThrownBy(() -> bed.authorize(provider))
                .isInstanceOf(AuthorizationFailedException.class)
                .hasMessageStartingWith("AADSTS70008: ");
    }

    @Test
    void aGrantThatIsNotAnEntraTokenCacheNeedsReauthorization() {
        assertThatThrownBy(() -> provider.accessToken(Grant.of("1//not-an-entra-grant")))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .hasMessageContaining("Authorize the mailbox again");
    }

    @Test
    void accountFallsBackToPreferredUsernameThenUpn() throws Exception {
        bed.fake.signInAs("Bob@Contoso.Example").idTokenClaims(AddressClaim.PREFERRED_USERNAME);
        assertThat(bed.authorize(provider).account()).isEqualTo("bob@contoso.example");

        bed.fake.signInAs("carol@contoso.example").idTokenClaims(AddressClaim.UPN);
        assertThat(bed.authorize(provider).account()).isEqualTo("carol@contoso.example");
    }

    @Test
    void anIdTokenWithoutAnyAddressFailsTheAuthorization() {
        bed.fake.idTokenClaims();

        assertThatThrownBy(() -> bed.authorize(provider))
                .isInstanceOfSatisfying(AuthorizationFailedException.class, e -> assertThat(e.code()).hasValue("no_address"))
                .hasMessageContaining("no address");
    }

    @Test
    void callbackErrorsAreExplained() {
        assertThat(provider.explainCallbackError("access_denied", "AADSTS65004: User declined to consent to access the app.\r\nTrace ID: x"))
                .satisfies(e -> assertThat(e.code()).hasValue("AADSTS65004"))
                .hasMessageStartingWith("AADSTS65004: The user declined to consent");
        assertThat(provider.explainCallbackError("access_denied", null))
                .hasMessage("access_denied: The sign-in was cancelled or consent was declined. Authorize again and accept the permissions.");
        assertThat(provider.explainCallbackError("invalid_request", "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption."))
                .hasMessageContaining("under the Web platform");
    }

    @Test
    void aDeclinedConsentArrivesAtTheCallbackAndIsExplained() throws Exception {
        bed.fake.failAuthorization("access_denied", "AADSTS65004: User declined to consent to access the app.");
        CallbackServer.Callback arrived = bed.signIn(provider, Pkce.generate(), "st-x");

        assertThat(arrived.param("state")).isEqualTo("st-x");
        assertThat(provider.explainCallbackError(arrived.param("error"), arrived.param("error_description")))
                .hasMessageStartingWith("AADSTS65004: ");
    }

    @Test
    void configurationMistakesAreNamed() {
        assertThatThrownBy(() -> new EntraIdentityProvider(bed.config(URI.create("http://localhost:1/")),
                Secret.of("x"), EntraTestBed.trustingTestCertificates()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.entra.authority must be an https URL");
        assertThatThrownBy(() -> new EntraIdentityProvider(bed.config(), Secret.of(""), EntraTestBed.trustingTestCertificates()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.entra.client-secret is empty");
    }

    private static String last(java.util.List<String> values) {
        return values.get(values.size() - 1);
    }
}
