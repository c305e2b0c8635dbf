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
import dev.intake.provider.ImapEndpoint;
import dev.intake.provider.Pkce;
import dev.intake.provider.ProviderContext;
import dev.intake.provider.ProviderException;
import dev.intake.provider.TokenResponse;
import dev.intake.provider.TransientProviderException;
import dev.intake.testing.FakeCallbackServer;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.FormEncoding;
import dev.intake.testing.TestCertificates;
import dev.intake.testing.provider.IdentityProviderContract;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The identity provider contract against a fake Google, and what only Google does. */
class GoogleIdentityProviderTest extends IdentityProviderContract<GoogleTestBed> {

    @Override
    protected GoogleTestBed newTestBed() {
        return new GoogleTestBed();
    }

    /** Google's answers carry the OAuth error, which leads each message, and Google's own description in quotes. */
    @Override
    protected void explains(FailureCase failure, ProviderException e) {
        switch (failure) {
            case REFUSED_VERIFIER -> {
                assertThat(e.code()).hasValue("invalid_grant");
                assertThat(e).hasMessage("invalid_grant: Google refused the authorization code (Google: \"Invalid code verifier.\")."
                        + " Start the authorization again from Intake.");
            }
            case REUSED_CODE, EXPIRED_CODE -> {
                assertThat(e.code()).hasValue("invalid_grant");
                assertThat(e).hasMessageStartingWith("invalid_grant: Google refused the authorization code")
                        .hasMessageEndingWith(" Start the authorization again from Intake.");
            }
            case NO_ADDRESS -> assertThat(e).hasMessageContaining("no email address");
            case EXPIRED_GRANT -> assertThat(e.code()).hasValue("invalid_grant");
            case REVOKED_GRANT -> {
                assertThat(e.code()).hasValue("invalid_grant");
                assertThat(e).hasMessageStartingWith("invalid_grant: Google no longer accepts the stored grant"
                                + " (Google: \"Token has been expired or revoked.\").")
                        .hasMessageContaining("unused for 6 months")
                        .hasMessageContaining("password")
                        .hasMessageContaining("\"Testing\" publishing status, where grants die after 7 days (publish the app")
                        .hasMessageEndingWith("Authorize the mailbox again.");
            }
            case REJECTED_SECRET -> assertThat(e.code()).hasValue("invalid_client");
            case SERVER_ERROR -> assertThat(e).hasMessageContaining("HTTP 500");
            case THROTTLED -> assertThat(e).hasMessageContaining("HTTP 429");
            case UNREACHABLE -> assertThat(e).hasMessageContaining("could not reach Google");
            case APP_ONLY_REFUSED -> assertThat(e).hasMessageStartingWith("unauthorized_client: ")
                    .hasMessageContaining("Manage Domain Wide Delegation");
        }
    }

    @Test
    void isFoundByTypeAndKnowsGmailsImapServer() {
        assertThat(provider.type()).isEqualTo("google");
        assertThat(provider.imapDefaults()).isEqualTo(new ImapEndpoint("imap.gmail.com", 993));
    }

    @Test
    void authorizationUrlAsksForOfflineAccessConsentAndTheMailScope() throws Exception {
        URI url = provider.authorizationUrl(new AuthorizationRequest(bed.callback.redirectUri(), "st-9", Pkce.generate(),
                GoogleTestBed.ACCOUNT));

        Map<String, String> query = FormEncoding.query(url);
        assertThat(query).containsEntry("access_type", "offline")
                .containsEntry("include_granted_scopes", "true")
                .containsEntry("prompt", "consent select_account");
        assertThat(query.get("scope").split(" ")).containsExactlyInAnyOrder("https://mail.google.com/", "openid", "email");
    }

    @Test
    void theCodeArrivesAsARedirectAndTheGrantIsTheRefreshTokenItself() throws Exception {
        Pkce pkce = Pkce.generate();
        FakeCallbackServer.Callback arrived = bed.signIn(provider, pkce, "st-1");

        assertThat(arrived.method()).as("Google redirects with a GET").isEqualTo("GET");
        AuthorizedGrant authorized = provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier()));
        assertThat(authorized.grant().material()).isEqualTo(bed.fake.currentRefreshToken());
    }

    @Test
    void aCodeSentBackToAnotherRedirectUriIsRefused() throws Exception {
        Pkce pkce = Pkce.generate();
        FakeCallbackServer.Callback arrived = bed.signIn(provider, pkce, "st");

        assertThatThrownBy(() -> provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), URI.create("http://localhost:1/elsewhere"), pkce.verifier())))
                .isInstanceOf(AuthorizationFailedException.class)
                .hasMessageStartingWith("redirect_uri_mismatch: ")
                .hasMessageContaining("/oauth/callback");
    }

    @Test
    void aRefreshWithoutANewRefreshTokenRotatesNothing() throws Exception {
        bed.fake.rotateRefreshTokens(false);
        AuthorizedGrant authorized = bed.authorize(provider);

        TokenResponse refreshed = provider.accessToken(authorized.grant());

        assertThat(refreshed.rotatedGrant()).as("Google's refresh tokens stay; nothing new to store").isEmpty();
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
        IdentityProvider misconfigured = bed.provider(bed.config(bed.fake.authUri(), bed.fake.tokenUri().resolve("/oauth2/v4/token")),
                GoogleTestBed.SECRET);

        assertThatThrownBy(() -> misconfigured.accessToken(authorized.grant()))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageContaining("providers.google.token-uri");
    }

    @Test
    void theAccessTokenExpiresWhenGoogleSaysByTheContextsClock() throws Exception {
        bed.fake.accessTokenLifetime(Duration.ofMinutes(5));
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        IdentityProvider fixedClock = bed.provider(GoogleTestBed.SECRET,
                new ProviderContext(Optional.empty(), Clock.fixed(now, ZoneOffset.UTC)));
        AuthorizedGrant authorized = bed.authorize(fixedClock);

        assertThat(fixedClock.accessToken(authorized.grant()).accessToken().expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aDeniedConsentArrivesAtTheCallbackAndIsExplained() throws Exception {
        bed.fake.failAuthorization("access_denied", "");
        FakeCallbackServer.Callback arrived = bed.signIn(provider, Pkce.generate(), "st-d");

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
}
