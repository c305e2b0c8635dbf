package dev.intake.provider.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.Secret;
import dev.intake.provider.AuthorizationRequest;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.Grant;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.ImapEndpoint;
import dev.intake.provider.Pkce;
import dev.intake.provider.ProviderException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.testing.FakeCallbackServer;
import dev.intake.testing.FakeAuthorizationServer.AddressClaim;
import dev.intake.testing.FakeAuthorizationServer.Failure;
import dev.intake.testing.FormEncoding;
import dev.intake.testing.provider.IdentityProviderContract;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity provider contract against a fake Entra tenant, and what only Entra does. */
class EntraIdentityProviderTest extends IdentityProviderContract<EntraTestBed> {

    @Override
    protected EntraTestBed newTestBed() {
        return new EntraTestBed();
    }

    /** Entra's answers carry an AADSTS code, which leads each message. */
    @Override
    protected void explains(FailureCase failure, ProviderException e) {
        switch (failure) {
            case REFUSED_VERIFIER -> assertThat(e).hasMessageStartingWith("AADSTS501481: ")
                    .hasMessageContaining("Start the authorization again");
            case REUSED_CODE -> assertThat(e).hasMessageStartingWith("AADSTS54005: ").hasMessageContaining("already used");
            case EXPIRED_CODE -> assertThat(e).hasMessageStartingWith("AADSTS70008: ");
            case NO_ADDRESS -> assertThat(e).hasMessageContaining("no address");
            case EXPIRED_GRANT -> {
                assertThat(e.code()).hasValue("AADSTS700082");
                assertThat(e).hasMessage("AADSTS700082: The mailbox's refresh token expired because Intake did not use it"
                        + " for 90 days. Authorize the mailbox again.");
            }
            case REVOKED_GRANT -> assertThat(e).hasMessageStartingWith("AADSTS50173: ").hasMessageContaining("password");
            case REJECTED_SECRET -> {
                assertThat(e.code()).hasValue("AADSTS7000215");
                assertThat(e).hasMessageStartingWith("AADSTS7000215: ").hasMessageContaining("Value, not its Secret ID");
            }
            case SERVER_ERROR -> assertThat(e).hasMessageStartingWith("AADSTS90033: ");
            case THROTTLED -> assertThat(e).hasMessageStartingWith("AADSTS50196: ");
            case UNREACHABLE -> assertThat(e).hasMessageContaining("could not reach Entra");
            case APP_ONLY_REFUSED -> assertThat(e).hasMessageStartingWith("AADSTS700027: ")
                    .hasMessageContaining("Upload the certificate of providers.entra.client-certificate");
        }
    }

    @Test
    void isFoundByTypeAndKnowsOutlooksImapServer() {
        assertThat(provider.type()).isEqualTo("entra");
        assertThat(provider.imapDefaults()).isEqualTo(new ImapEndpoint("outlook.office365.com", 993));
    }

    @Test
    void authorizationUrlAsksForImapOfflineAccessWithFormPostAndAccountSelection() throws Exception {
        Pkce pkce = Pkce.generate();
        URI url = provider.authorizationUrl(new AuthorizationRequest(bed.callback.redirectUri(), "st-123", pkce, EntraTestBed.ACCOUNT));

        Map<String, String> query = FormEncoding.query(url);
        assertThat(query).containsEntry("response_mode", "form_post")
                .containsEntry("prompt", "select_account");
        assertThat(query.get("scope").split(" ")).containsExactlyInAnyOrder(
                "https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access", "openid", "profile", "email");
    }

    @Test
    void theCodeArrivesAtTheCallbackAsAFormPost() throws Exception {
        FakeCallbackServer.Callback arrived = bed.signIn(provider, Pkce.generate(), "st-1");

        assertThat(arrived.method()).as("Entra answers with form_post").isEqualTo("POST");
        assertThat(arrived.param("code")).isNotBlank();
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
    void aWrongAuthorityIsAConfigurationProblemNotADeadGrant() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        IdentityProvider misconfigured = bed.provider(bed.config(bed.fake.authority().resolve("wrong-prefix/")),
                EntraTestBed.SECRET);

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
        FakeCallbackServer.Callback arrived = bed.signIn(provider, Pkce.generate(), "st-x");

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
}
