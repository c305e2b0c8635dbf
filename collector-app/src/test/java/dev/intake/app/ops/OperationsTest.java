package dev.intake.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.collect.CollectionFailedException;
import dev.intake.app.crypto.KeyRings;
import dev.intake.app.status.ProviderStatus;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.Mails;
import dev.intake.testing.MutableClock;
import dev.intake.app.status.Readiness;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.testing.Browser;
import dev.intake.testing.CapturedLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operating a live Intake: secret and key rotation through configuration, health, metrics, and logs free of secrets. */
class OperationsTest {

    static final String ADDRESS = "support@contoso.com";
    static final String TOKEN = "imap-access-token-ops";

    @TempDir
    Path dir;

    IntakeFixture fx;
    GreenMailUser user;
    final MutableClock clock = MutableClock.startingNow();

    void start(String yaml, String... mailboxLines) {
        List<String> lines = new ArrayList<>(List.of("accepted-folder: Intake/Accepted", "initial-sync: all"));
        lines.addAll(List.of(mailboxLines));
        if (lines.stream().noneMatch(l -> l.startsWith("paused:"))) {
            lines.add("paused: true");
        }
        fx = new IntakeFixture(dir).clock(clock).yaml(yaml + "operations:\n  reload-check-every: 100ms\n  stale-after: 1h\n")
                .mailbox("support", "entra", ADDRESS, lines.toArray(String[]::new));
        fx.entra().fixedAccessToken(TOKEN);
        user = fx.imapUser(ADDRESS, TOKEN);
        fx.start();
        assertThat(fx.authorize("support", ADDRESS).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    void poll() throws CollectionFailedException {
        fx.intake().collection().poll(fx.intake().currentConfig().mailbox("support").orElseThrow(), () -> false);
    }

    void reload() {
        fx.config().checkNow();
    }

    @Test
    void aNewClientSecretInTheSecretFileIsUsedFromTheNextTokenRequestWithoutRestart() throws Exception {
        start("");
        fx.entra().acceptClientSecrets("entra-client-secret-value-2");
        fx.intake().tokens().invalidate("support");

        assertThatThrownBy(() -> fx.intake().tokens().accessToken("support"))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageContaining("providers.entra.client-secret");
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().state().name()).isEqualTo("ACTIVE");

        fx.writeSecret("entra-secret", "entra-client-secret-value-2");
        reload();
        fx.append(user, "INBOX", Mails.plain("a@x.example", ADDRESS, "After rotation", "<rot@x>", "hi"), Instant.now());
        poll();

        assertThat(fx.intake().tickets().count(dev.intake.app.ticket.TicketQuery.firstPage(10))).isEqualTo(1);
        assertThat(fx.entra().requests()).filteredOn(r -> r.path().endsWith("/token"))
                .last().satisfies(r -> assertThat(r.param("client_secret")).isEqualTo("entra-client-secret-value-2"));
    }

    @Test
    void duringAnOverlapTheNextSecretIsTriedAndTheOperatorIsToldToPromoteIt() throws Exception {
        start("");
        fx.writeSecret("entra-secret-next", "entra-client-secret-value-2");
        reload();
        fx.entra().acceptClientSecrets("entra-client-secret-value-2");
        fx.intake().tokens().invalidate("support");

        fx.intake().tokens().accessToken("support");

        ProviderStatus entra = fx.intake().providerStatuses().all().stream().filter(p -> p.name().equals("entra")).findFirst()
                .orElseThrow();
        assertThat(entra.secretInUse()).contains("client-secret-next");
        assertThat(entra.warning().orElseThrow()).contains("promote");
        Readiness ready = fx.intake().readiness();
        assertThat(ready.status()).isEqualTo("degraded");
        assertThat(ready.warnings()).anySatisfy(w -> assertThat(w).contains("client-secret-next"));
    }

    @Test
    void anExpiringSecretIsWarnedAboutInStatusAndMetrics() {
        LocalDate expires = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(12);
        start("");
        String yaml = fx.configFileText().replace("    tenant: contoso\n", "    tenant: contoso\n    client-secret-expires: " + expires + "\n");
        fx.writeConfigText(yaml);
        reload();

        ProviderStatus entra = fx.intake().providerStatuses().all().stream().filter(p -> p.name().equals("entra")).findFirst()
                .orElseThrow();
        assertThat(entra.daysLeft()).contains(12L);
        assertThat(entra.warning().orElseThrow()).contains("expires in 12 day(s)");
        assertThat(metrics()).contains("intake_provider_secret_expiry_days{provider=\"entra\"} 12.0");
    }

    @Test
    void healthAndMetricsDescribeTheNodeAndEveryMailbox() throws Exception {
        start("");
        fx.append(user, "INBOX", Mails.plain("a@x.example", ADDRESS, "One", "<one@x>", "hi"), Instant.now());
        fx.append(user, "INBOX", Mails.plain("b@x.example", ADDRESS, "Auto", "<two@x>", "hi", "Auto-Submitted: auto-replied"),
                Instant.now());
        poll();
        fx.intake().tokens().invalidate("support");
        fx.intake().tokens().accessToken("support");

        Browser.Page live = new Browser().open(fx.url("/health/live"));
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"up\"");
        Browser.Page ready = new Browser().open(fx.url("/health/ready"));
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\":true", "\"migrations\":true", "\"scheduler\":true");

        String m = metrics();
        assertThat(m).contains("intake_polls_seconds_count{mailbox=\"support\",outcome=\"ok\"} 1");
        assertThat(m).contains("intake_messages_total{mailbox=\"support\",outcome=\"ticket\",reason=\"\"} 1.0");
        assertThat(m).contains("intake_messages_total{mailbox=\"support\",outcome=\"refused\",reason=\"auto_reply\"} 1.0");
        assertThat(m).contains("intake_token_refreshes_total{mailbox=\"support\",result=\"ok\"} 1.0");
        assertThat(m).contains("intake_mailbox_state{mailbox=\"support\",state=\"paused\"} 1.0");
        assertThat(m).contains("intake_mailbox_last_success_timestamp_seconds{mailbox=\"support\"}");
    }

    @Test
    void aMailboxWithNoSuccessfulPollForTooLongIsReportedStaleWithoutFailingLiveness() throws Exception {
        start("", "paused: false");
        poll();
        fx.intake().mailboxActions().setPaused("support", true);
        fx.intake().mailboxActions().setPaused("support", false);
        clock.advance(Duration.ofHours(2));

        Readiness ready = fx.intake().readiness();
        assertThat(ready.ready()).isTrue();
        assertThat(ready.status()).isEqualTo("degraded");
        assertThat(ready.staleMailboxes()).containsExactly("support");
        assertThat(fx.intake().statuses().find("support").orElseThrow().stale()).isTrue();
        assertThat(metrics()).contains("intake_mailbox_stale{mailbox=\"support\"} 1.0");
        assertThat(new Browser().open(fx.url("/health/live")).status()).isEqualTo(200);
    }

    @Test
    void changingTheActiveKeyReSealsStoredGrantsAndTheOldKeyCanThenBeRemoved() throws Exception {
        String k1 = KeyRings.newKeyBase64();
        String k2 = KeyRings.newKeyBase64();
        start("encryption:\n  active-key: k1\n  keys:\n    k1: " + k1 + "\n");
        assertThat(fx.intake().keys().usage()).containsEntry("k1", 1);

        fx.writeConfigText(fx.configFileText().replace("  active-key: k1\n", "  active-key: k2\n")
                .replace("    k1: " + k1 + "\n", "    k1: " + k1 + "\n    k2: " + k2 + "\n"));
        reload();

        assertThat(fx.intake().keys().usage()).isEqualTo(Map.of("k2", 1));
        assertThat(fx.intake().keys().rotate()).isEmpty();
        fx.writeConfigText(fx.configFileText().replace("    k1: " + k1 + "\n", ""));
        reload();
        fx.intake().tokens().invalidate("support");
        assertThat(fx.intake().tokens().accessToken("support").value().reveal()).isEqualTo(TOKEN);
    }

    @Test
    void theWholeFlowAtDebugLogsNoSecretAnywhere() throws Exception {
        List<String> secrets = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            String k2 = KeyRings.newKeyBase64();
            start("encryption:\n  active-key: k1\n  keys:\n    k1: " + KeyRings.newKeyBase64() + "\n");
            fx.append(user, "INBOX", Mails.plain("a@x.example", ADDRESS, "Debug", "<dbg@x>", "hi"), Instant.now());
            poll();
            fx.intake().tokens().invalidate("support");
            fx.intake().tokens().accessToken("support");
            fx.writeSecret("entra-secret-next", "entra-client-secret-value-2");
            fx.entra().acceptClientSecrets("entra-client-secret-value-2");
            fx.writeConfigText(fx.configFileText().replace("  active-key: k1\n", "  active-key: k2\n")
                    .replace("  keys:\n", "  keys:\n    k2: " + k2 + "\n"));
            reload();
            fx.intake().tokens().invalidate("support");
            fx.intake().tokens().accessToken("support");
            poll();
            fx.stop();

            secrets.add(TOKEN);
            secrets.add(k2);
            secrets.add(IntakeFixture.ENTRA_SECRET);
            secrets.add("entra-client-secret-value-2");
            secrets.addAll(fx.entra().issuedRefreshTokens());
            secrets.addAll(fx.entra().issuedCodes());
            secrets.add(java.util.Base64.getEncoder().encodeToString(
                    ("user=" + ADDRESS + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001").getBytes(StandardCharsets.UTF_8)));
            String log = logs.text();
            assertThat(log).contains("DEBUG");
            for (String secret : secrets) {
                assertThat(log).as("the log").doesNotContain(secret);
            }
        }
    }

    private String metrics() {
        return new Browser().open(fx.url("/metrics")).body();
    }
}
