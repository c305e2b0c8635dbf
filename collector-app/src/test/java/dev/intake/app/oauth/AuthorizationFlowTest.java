package dev.intake.app.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.store.MailboxState;
import dev.intake.app.store.StoredAuthorization;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.MutableClock;
import dev.intake.provider.AccessToken;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.testing.Browser;
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.TestCertificates;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser authorization of a mailbox through Intake's real HTTP endpoints, against fake Entra and Google
 * authorization servers, with a real HTTP client that follows redirects and submits Entra's form_post.
 */
class AuthorizationFlowTest {

    @TempDir
    Path dir;

    private IntakeFixture fx;
    private final MutableClock clock = MutableClock.startingNow();

    @BeforeEach
    void start() {
        fx = new IntakeFixture(dir).clock(clock)
                .mailbox("support", "entra", "support@contoso.com", "delegate: alice@contoso.com")
                .mailbox("sales", "google", "sales@example.com");
        fx.start();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void entraRoundTripStoresAnEncryptedGrantAndActivatesTheMailbox() {
        Browser.Page page = fx.authorize("support", "alice@contoso.com");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Mailbox authorized").contains("alice@contoso.com");
        StoredAuthorization auth = fx.stores().authorizations().find("support").orElseThrow();
        assertThat(auth.account()).isEqualTo("alice@contoso.com");
        assertThat(auth.provider()).isEqualTo("entra");
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().state()).isEqualTo(MailboxState.ACTIVE);
        assertThat(fx.intake().schedule().scheduledMailboxes()).containsExactly("support");

        // The authorize request carried what Entra needs, and the callback came as a POST (form_post).
        FakeAuthorizationServer.RecordedRequest authorize = fx.entra().authorizationRequests().get(0);
        assertThat(authorize.param("login_hint")).isEqualTo("alice@contoso.com");
        assertThat(authorize.param("code_challenge_method")).isEqualTo("S256");
        assertThat(authorize.param("redirect_uri")).isEqualTo("http://127.0.0.1:" + fx.httpPort() + "/oauth/callback");
        assertThat(authorize.param("scope")).contains("https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access");
        assertThat(authorize.param("state")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(callbackHop().method()).isEqualTo("POST");
    }

    @Test
    void googleRoundTripUsesAGetCallbackAndAsksForOfflineConsent() {
        Browser.Page page = fx.authorize("sales", "sales@example.com");

        assertThat(page.status()).isEqualTo(200);
        assertThat(fx.stores().authorizations().find("sales").orElseThrow().account()).isEqualTo("sales@example.com");
        FakeAuthorizationServer.RecordedRequest authorize = fx.google().authorizationRequests().get(0);
        assertThat(authorize.param("access_type")).isEqualTo("offline");
        assertThat(authorize.param("prompt")).isEqualTo("consent select_account");
        assertThat(authorize.param("scope")).contains("https://mail.google.com/");
        assertThat(authorize.param("code_challenge_method")).isEqualTo("S256");
        assertThat(callbackHop().method()).isEqualTo("GET");
    }

    @Test
    void aReplayedCallbackIsRefusedAndChangesNothing() {
        fx.authorize("sales", "sales@example.com");
        URI callback = callbackHop().uri();
        StoredAuthorization before = fx.stores().authorizations().find("sales").orElseThrow();

        Browser.Page replay = new Browser().open(callback);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.body()).contains("not valid").contains("works once");
        assertThat(fx.stores().authorizations().find("sales").orElseThrow().version()).isEqualTo(before.version());
    }

    @Test
    void aForgedStateIsRefusedAndNothingIsStored() {
        Browser.Page page = new Browser().open(fx.url("/oauth/callback?code=stolen&state=forged-state-value"));

        assertThat(page.status()).isEqualTo(400);
        assertThat(fx.stores().authorizations().find("support")).isEmpty();
        assertThat(fx.entra().tokenRequests("authorization_code")).isZero();

        Browser.Page noState = new Browser().post(fx.url("/oauth/callback"), Map.of("code", "x"));
        assertThat(noState.status()).isEqualTo(400);
        assertThat(noState.body()).contains("no state");
    }

    @Test
    void anExpiredStateIsRefusedWithAWayToStartAgain() throws Exception {
        fx.google().signInAs("sales@example.com");
        URI atProvider = fx.intake().authorization().begin("sales");
        clock.advance(Duration.ofMinutes(11));

        Browser.Page page = new Browser().open(atProvider);

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("took too long").contains("/mailboxes/sales/authorize");
        assertThat(fx.stores().authorizations().find("sales")).isEmpty();
        assertThat(fx.google().tokenRequests("authorization_code")).isZero();
    }

    @Test
    void theWrongAccountIsRefusedAndTheAdminIsToldWhoWasExpected() {
        Browser.Page page = fx.authorize("support", "mallory@contoso.com");

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("mallory@contoso.com signed in").contains("expects alice@contoso.com")
                .contains("shared mailbox support@contoso.com");
        assertThat(fx.stores().authorizations().find("support")).isEmpty();
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().state()).isEqualTo(MailboxState.NOT_AUTHORIZED);
    }

    @Test
    void aProviderErrorIsExplainedAndNothingIsStored() {
        fx.entra().failAuthorization("access_denied", "AADSTS65004: User declined to consent to access the app.");

        Browser.Page page = fx.authorize("support", "alice@contoso.com");

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("AADSTS65004");
        assertThat(fx.stores().authorizations().find("support")).isEmpty();
    }

    @Test
    void aRotatedRefreshTokenIsPersistedAndSurvivesARestart() throws Exception {
        fx.authorize("support", "alice@contoso.com");
        String firstRefresh = fx.entra().currentRefreshToken();
        fx.intake().tokens().invalidate("support");

        AccessToken token = fx.intake().tokens().accessToken("support");
        String rotated = fx.entra().currentRefreshToken();
        assertThat(rotated).isNotEqualTo(firstRefresh);

        fx.stop();
        fx.start();
        // After the restart only the stored grant can refresh; the fake refuses the rotated-away token.
        AccessToken afterRestart = fx.intake().tokens().accessToken("support");
        assertThat(afterRestart.value()).isNotEqualTo(token.value());
        assertThat(fx.entra().currentRefreshToken()).isNotEqualTo(rotated);
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().state()).isEqualTo(MailboxState.ACTIVE);
    }

    @Test
    void accessTokensAreReusedUntilShortlyBeforeExpiry() throws Exception {
        fx.entra().accessTokenLifetime(Duration.ofHours(1));
        fx.authorize("support", "alice@contoso.com");
        int refreshes = fx.entra().tokenRequests("refresh_token");

        AccessToken a = fx.intake().tokens().accessToken("support");
        AccessToken b = fx.intake().tokens().accessToken("support");
        assertThat(b.value()).isEqualTo(a.value());
        assertThat(fx.entra().tokenRequests("refresh_token")).isEqualTo(refreshes);

        clock.advance(Duration.ofMinutes(56));
        AccessToken c = fx.intake().tokens().accessToken("support");
        assertThat(c.value()).isNotEqualTo(a.value());
        assertThat(fx.entra().tokenRequests("refresh_token")).isEqualTo(refreshes + 1);
    }

    @Test
    void invalidGrantMarksTheMailboxForReauthorizationAndStopsItsPolling() {
        fx.authorize("sales", "sales@example.com");
        fx.intake().tokens().invalidate("sales");
        fx.google().revokeAll();

        assertThatThrownBy(() -> fx.intake().tokens().accessToken("sales"))
                .isInstanceOf(ReauthorizationRequiredException.class)
                .hasMessageContaining("Testing");
        assertThat(fx.stores().mailboxes().find("sales").orElseThrow().state()).isEqualTo(MailboxState.NEEDS_REAUTHORIZATION);
        assertThat(fx.intake().schedule().scheduledMailboxes()).doesNotContain("sales");

        // Re-authorizing fixes it.
        fx.authorize("sales", "sales@example.com");
        assertThat(fx.stores().mailboxes().find("sales").orElseThrow().state()).isEqualTo(MailboxState.ACTIVE);
        assertThat(fx.intake().schedule().scheduledMailboxes()).contains("sales");
    }

    @Test
    void invalidClientLeavesTheGrantAndNamesTheKeyToFix() {
        fx.authorize("support", "alice@contoso.com");
        StoredAuthorization before = fx.stores().authorizations().find("support").orElseThrow();
        fx.intake().tokens().invalidate("support");
        fx.entra().acceptClientSecrets("a-new-secret-the-operator-has-not-configured");

        assertThatThrownBy(() -> fx.intake().tokens().accessToken("support"))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageContaining("providers.entra.client-secret");
        StoredAuthorization after = fx.stores().authorizations().find("support").orElseThrow();
        assertThat(after.grant()).isEqualTo(before.grant());
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().state()).isEqualTo(MailboxState.ACTIVE);
    }

    @Test
    void neitherTheDatabaseFileNorTheLogsEverHoldATokenOrSecret() throws Exception {
        List<String> secrets = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            fx.authorize("support", "alice@contoso.com");
            fx.authorize("sales", "sales@example.com");
            fx.intake().tokens().invalidate("support");
            secrets.add(fx.intake().tokens().accessToken("support").value().reveal());
            fx.intake().tokens().invalidate("sales");
            secrets.add(fx.intake().tokens().accessToken("sales").value().reveal());
            fx.stop();

            secrets.addAll(fx.entra().issuedAccessTokens());
            secrets.addAll(fx.entra().issuedRefreshTokens());
            secrets.addAll(fx.entra().issuedCodes());
            secrets.addAll(fx.google().issuedAccessTokens());
            secrets.addAll(fx.google().issuedRefreshTokens());
            secrets.addAll(fx.google().issuedCodes());
            secrets.add(IntakeFixture.ENTRA_SECRET);
            secrets.add(IntakeFixture.GOOGLE_SECRET);
            String db = new String(fx.databaseBytes(), StandardCharsets.ISO_8859_1);
            String log = String.join("\n", logs.lines());
            for (String secret : secrets) {
                assertThat(db).as("database file").doesNotContain(secret);
                assertThat(log).as("log").doesNotContain(secret);
            }
            assertThat(secrets).hasSizeGreaterThan(8);
        }
    }

    private Browser.Hop callbackHop() {
        return callbackHop(fx.lastBrowser());
    }

    private Browser.Hop callbackHop(Browser browser) {
        return browser.history().stream().filter(h -> h.uri().getPath().equals("/oauth/callback")).reduce((a, b) -> b)
                .orElseThrow();
    }
}
