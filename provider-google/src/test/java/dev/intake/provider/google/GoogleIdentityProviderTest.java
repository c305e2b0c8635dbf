package dev.intake.provider.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.Secret;
import dev.intake.provider.AuthorizationCode;
import dev.intake.provider.AuthorizationFailedException;
import dev.intake.provider.AuthorizationRequest;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.IdentityProviders;
import dev.intake.provider.ImapEndpoint;
import dev.intake.provider.Pkce;
import dev.intake.provider.ProviderContext;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TokenResponse;
import dev.intake.provider.TransientProviderException;
import dev.intake.testing.CallbackServer;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.FakeAuthorizationServer.Failure;
import dev.intake.testing.FormEncoding;
import dev.intake.testing.TestCertificates;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GoogleIdentityProviderTest {

    private final GoogleTestBed bed = new GoogleTestBed();
    private final IdentityProvider provider = bed.provider();

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void isFoundByTypeAndKnowsGmailsImapServer() {
        assertThat(provider.type()).isEqualTo("google");
        assertThat(provider.imapDefaults()).isEqualTo(new ImapEndpoint("imap.gmail.com", 993));
    }

    @Test
    void authorizationUrlAsksForOfflineAccessWithOurPkceAndTheRightAccount() throws Exception {
        Pkce pkce = Pkce.generate();
        URI url = provider.authorizationUrl(new AuthorizationRequest(bed.callback.redirectUri(), "st-9", pkce, "dana@example.org"));

        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath()).isEqualTo(bed.fake.authUri().toString());
        Map<String, String> query = FormEncoding.query(url);
        assertThat(query).containsEntry("client_id", GoogleTestBed.CLIENT_ID)
                .containsEntry("redirect_uri", bed.callback.redirectUri().toString())
                .containsEntry("response_type", "code")
                .containsEntry("state", "st-9")
                .containsEntry("code_challenge", pkce.challenge())
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("login_hint", "dana@example.org")
                .containsEntry("access_type", "offline")
                .containsEntry("include_granted_scopes", "true")
                .containsEntry("prompt", "consent select_account");
        assertThat(query.get("scope").split(" ")).containsExactlyInAnyOrder("https://mail.google.com/", "openid", "email");
        assertThat(url.toString()).doesNotContain(pkce.verifier().reveal()).doesNotContain(GoogleTestBed.SECRET);
    }

    @Test
    void roundTripThroughTheBrowserYieldsTheRefreshTokenAndTheAccount() throws Exception {
        bed.fake.signInAs("Dana@Example.ORG");
        Pkce pkce = Pkce.generate();
        CallbackServer.Callback arrived = bed.signIn(provider, pkce, "st-1");

        assertThat(arrived.method()).as("Google redirects with a GET").isEqualTo("GET");
        assertThat(arrived.param("state")).isEqualTo("st-1");
        AuthorizedGrant authorized = provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier()));

        assertThat(authorized.account()).isEqualTo("dana@example.org");
        assertThat(authorized.grant().material()).isEqualTo(bed.fake.currentRefreshToken());
        assertThat(authorized.accessToken()).hasValueSatisfying(token -> {
            assertThat(token.value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
            assertThat(token.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
        });
    }

    @Test
    void aCodeRedeemedWithAnotherVerifierIsRefused() throws Exception {
        CallbackServer.Callback arrived = bed.signIn(provider, Pkce.generate(), "st");

        assertThatThrownBy(() -> provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), bed.callback.redirectUri(), Pkce.generate().verifier())))
                .isInstanceOfSatisfying(AuthorizationFailedException.class, e -> assertThat(e.code()).hasValue("invalid_grant"))
                .hasMessage("invalid_grant: Google refused the authorization code (Google: \"Invalid code verifier.\")."
                        + " Start the authorization again from Intake.");
    }

    @Test
    void aCodeSentBackToAnotherRedirectUriIsRefused() throws Exception {
        Pkce pkce = Pkce.generate();
        CallbackServer.Callback arrived = bed.signIn(provider, pkce, "st");

        assertThatThrownBy(() -> provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), URI.create("http://localhost:1/elsewhere"), pkce.verifier())))
                .isInstanceOf(AuthorizationFailedException.class)
                .hasMessageStartingWith("redirect_uri_mismatch: ")
                .hasMessageContaining("/oauth/callback");
    }

    @Test
    void refreshKeepsTheGrantWhenGoogleReturnsNoNewRefreshToken() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);

        TokenResponse refreshed = provider.accessToken(authorized.grant());
        TokenResponse again = provider.accessToken(authorized.grant());

        assertThat(refreshed.rotatedGrant()).isEmpty();
        assertThat(again.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()))
                .isNotEqualTo(refreshed.accessToken().value().reveal());
        assertThat(bed.fake.tokenRequests("refresh_token")).isEqualTo(2);
    }

    @Test
    void aNewRefreshTokenFromARefreshBecomesTheRotatedGrant() throws Exception {
        bed.fake.rotateRefreshTokens(true);
        AuthorizedGrant authorized = bed.authorize(provider);

        TokenResponse refreshed = provider.accessToken(authorized.grant());

        assertThat(refreshed.rotatedGrant()).hasValueSatisfying(rotated ->
                assertThat(rotated.material()).isEqualTo(bed.fake.currentRefreshToken()).isNotEqualTo(authorized.grant().material()));
        assertThatThrownBy(() -> provider.accessToken(authorized.grant())).isInstanceOf(ReauthorizationRequiredException.class);
        assertThat(provider.accessToken(refreshed.rotatedGrant().orElseThrow()).accessToken().value().reveal())
                .isEqualTo(last(bed.fake.issuedAccessTokens()));
    }

    @Test
    void aRevokedGrantNeedsReauthorizationAndTheUsualCausesAreExplained() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.revokeAll();

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOfSatisfying(ReauthorizationRequiredException.class, e -> assertThat(e.code()).hasValue("invalid_grant"))
                .hasMessageStartingWith("invalid_grant: Google no longer accepts the stored grant (Google: \"Token has been expired or revoked.\").")
                .hasMessageContaining("unused for 6 months")
                .hasMessageContaining("password")
                .hasMessageContaining("\"Testing\" publishing status, where grants die after 7 days (publish the app")
                .hasMessageEndingWith("Authorize the mailbox again.");
    }

    @Test
    void aRejectedClientSecretKeepsTheGrantAndNamesTheConfigKey() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.acceptClientSecrets("GOCSPX-rotated");

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOfSatisfying(ClientCredentialsRejectedException.class, e -> assertThat(e.code()).hasValue("invalid_client"))
                .hasMessageContaining("providers.google.client-secret");

        TokenResponse again = bed.provider("GOCSPX-rotated", ProviderContext.defaults()).accessToken(authorized.grant());
        assertThat(again.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
    }

    @Test
    void serverErrorsAndThrottlingAreTransientAndTheGrantSurvivesThem() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.failTokenRequests(1, Failure.SERVER_ERROR).failTokenRequests(1, Failure.THROTTLED);

        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(TransientProviderException.class).hasMessageContaining("HTTP 500");
        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(TransientProviderException.class).hasMessageContaining("HTTP 429");
        assertThat(provider.accessToken(authorized.grant()).accessToken().value().reveal())
                .isEqualTo(last(bed.fake.issuedAccessTokens()));
    }

    @Test
    void anInjectedInvalidGrantNeedsReauthorization() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.failTokenRequests(1, Failure.INVALID_GRANT);

        assertThatThrownBy(() -> provider.accessToken(authorized.grant())).isInstanceOf(ReauthorizationRequiredException.class);
    }

    @Test
    void anUnreachableTokenEndpointIsTransient() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        IdentityProvider unreachable = IdentityProviders.discover().create(
                bed.config(bed.fake.authUri(), URI.create("http://localhost:" + closedPort + "/token")),
                Secret.of(GoogleTestBed.SECRET), ProviderContext.defaults());

        assertThatThrownBy(() -> unreachable.accessToken(authorized.grant()))
                .isInstanceOfSatisfying(TransientProviderException.class, e -> assertThat(e.code()).hasValue("network"))
                .hasMessageContaining("could not reach Google");
    }

    @Test
    void overHttpsTheContextsTrustIsUsedAndWithoutItTheFailureIsNamed() throws Exception {
        try (GoogleTestBed tls = new GoogleTestBed(FakeAuthorizationServer.googleOverHttps())) {
            ProviderContext trusting = new ProviderContext(
                    Optional.of(TestCertificates.get().clientContext().getSocketFactory()), Clock.systemUTC());
            IdentityProvider trusted = tls.provider(GoogleTestBed.SECRET, trusting);
            AuthorizedGrant authorized = tls.authorize(trusted);
            assertThat(trusted.accessToken(authorized.grant()).accessToken().value().reveal())
                    .isEqualTo(last(tls.fake.issuedAccessTokens()));

            IdentityProvider jdkTrustOnly = tls.provider(GoogleTestBed.SECRET, ProviderContext.defaults());
            assertThatThrownBy(() -> jdkTrustOnly.accessToken(authorized.grant()))
                    .isInstanceOfSatisfying(TransientProviderException.class, e -> assertThat(e.code()).hasValue("tls"))
                    .hasMessageContaining("tls.truststore");
        }
    }

    @Test
    void aWrongTokenUriIsAConfigurationProblemNotADeadGrant() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        IdentityProvider misconfigured = IdentityProviders.discover().create(
                bed.config(bed.fake.authUri(), bed.fake.tokenUri().resolve("/oauth2/v4/token")),
                Secret.of(GoogleTestBed.SECRET), ProviderContext.defaults());

        assertThatThrownBy(() -> misconfigured.accessToken(authorized.grant()))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageContaining("providers.google.token-uri");
    }

    @Test
    void theAccessTokenExpiresWhenGoogleSaysByTheContextsClock() throws Exception {
        bed.fake.accessTokenLifetime(Duration.ofMinutes(5));
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        IdentityProvider fixedClock = bed.provider(GoogleTestBed.SECRET,
                new ProviderContext(Optional.empty(), Clock.fixed(now, java.time.ZoneOffset.UTC)));
        AuthorizedGrant authorized = bed.authorize(fixedClock);

        assertThat(fixedClock.accessToken(authorized.grant()).accessToken().expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(5)));
    }

    @Test
    void anIdTokenWithoutEmailFailsTheAuthorization() {
        bed.fake.idTokenClaims();

        assertThatThrownBy(() -> bed.authorize(provider))
                .isInstanceOfSatisfying(AuthorizationFailedException.class, e -> assertThat(e.code()).hasValue("no_address"))
                .hasMessageContaining("no email address");
    }

    @Test
    void aDeniedConsentArrivesAtTheCallbackAndIsExplained() throws Exception {
        bed.fake.failAuthorization("access_denied", "");
        CallbackServer.Callback arrived = bed.signIn(provider, Pkce.generate(), "st-d");

        assertThat(arrived.param("state")).isEqualTo("st-d");
        assertThat(provider.explainCallbackError(arrived.param("error"), arrived.param("error_description")))
                .satisfies(e -> assertThat(e.code()).hasValue("access_denied"))
                .hasMessageStartingWith("access_denied: The sign-in was cancelled or access was not allowed.")
                .hasMessageContaining("test users");
        assertThat(provider.explainCallbackError("admin_policy_enforced", null)).hasMessageContaining("Workspace");
    }

    @Test
    void configurationMistakesAreNamed() {
        assertThatThrownBy(() -> new GoogleIdentityProvider(bed.config(), Secret.of(""), ProviderContext.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.google.client-secret is empty");
        assertThatThrownBy(() -> new GoogleIdentityProvider(bed.config(bed.fake.authUri(), URI.create("ftp://example.org/token")),
                Secret.of("x"), ProviderContext.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.google.token-uri must be an https URL");
    }

    private static String last(List<String> values) {
        return values.get(values.size() - 1);
    }
}
