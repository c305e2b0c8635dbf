package dev.intake.app.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.check.ConnectionReport.Outcome;
import dev.intake.app.check.ConnectionReport.Step;
import dev.intake.app.support.FakeExchangeImap;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.TestServiceAccount;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Test connection against the real fakes: each step reported, the failing one with what to do. */
class ConnectionCheckTest {

    private static final String ADDRESS = "billing@contoso.com";
    private static final String TOKEN = "check-token";

    @TempDir
    Path dir;

    private IntakeFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private ConnectionReport test(String id) {
        return fx.intake().mailboxActions().testConnection(id);
    }

    private static List<Outcome> outcomes(ConnectionReport report) {
        return report.steps().stream().map(Step::outcome).toList();
    }

    private static Step failed(ConnectionReport report) {
        return report.steps().stream().filter(s -> s.outcome() == Outcome.FAILED).findFirst().orElseThrow();
    }

    @Test
    void anAppOnlyMailboxThatWorksPassesEveryStep() {
        fx = new IntakeFixture(dir).mailbox("billing", "entra", ADDRESS, "auth: app", "paused: true");
        fx.entra().fixedAccessToken(TOKEN);
        fx.imapUser(ADDRESS, TOKEN);
        fx.start();

        ConnectionReport report = test("billing");

        assertThat(report.ok()).isTrue();
        assertThat(report.steps()).extracting(Step::name)
                .containsExactly("Access token", "IMAP connection", "XOAUTH2 login", "Open folder INBOX");
        assertThat(report.steps().get(0).detail()).startsWith("App-only token from entra");
        assertThat(report.steps().get(2).detail()).isEqualTo("Logged in as " + ADDRESS + ".");
    }

    @Test
    void aDelegatedMailboxNotYetAuthorizedFailsAtTheTokenAndSaysToAuthorize() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com", "paused: true");
        fx.start();

        ConnectionReport report = test("support");

        assertThat(outcomes(report)).containsExactly(Outcome.FAILED, Outcome.NOT_TRIED, Outcome.NOT_TRIED, Outcome.NOT_TRIED);
        assertThat(failed(report).detail()).contains("not authorized yet").contains("Authorize");
    }

    @Test
    void nothingListeningFailsAtTheConnectionNotTheLogin() {
        int closed = dev.intake.testing.FreePorts.pick();
        fx = new IntakeFixture(dir).mailbox("billing", "entra", ADDRESS, "auth: app", "paused: true",
                "imap-host: localhost", "imap-port: " + closed);
        fx.entra().fixedAccessToken(TOKEN);
        fx.start();

        ConnectionReport report = test("billing");

        assertThat(outcomes(report)).containsExactly(Outcome.OK, Outcome.FAILED, Outcome.NOT_TRIED, Outcome.NOT_TRIED);
        assertThat(failed(report).name()).isEqualTo("IMAP connection");
        assertThat(failed(report).detail()).contains("Nothing accepts connections at localhost:" + closed);
    }

    @Test
    void anUnforeseenErrorIsReportedAtItsStepInsteadOfAnErrorPage() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com", "paused: true");
        fx.start();
        // A database in a state no code path expects: the grants' table is gone.
        fx.stores().jdbi().useHandle(h -> h.execute("ALTER TABLE mailbox_authorization RENAME TO mailbox_authorization_gone"));

        ConnectionReport report = test("support");

        assertThat(outcomes(report)).containsExactly(Outcome.FAILED, Outcome.NOT_TRIED, Outcome.NOT_TRIED, Outcome.NOT_TRIED);
        assertThat(failed(report).detail()).startsWith("Unexpected error (").contains("the log of this node");
    }

    @Test
    void aTokenTheImapServerRefusesFailsAtTheLogin() {
        fx = new IntakeFixture(dir).mailbox("billing", "entra", ADDRESS, "auth: app", "paused: true");
        fx.entra().fixedAccessToken(TOKEN);
        fx.imapUser(ADDRESS, "some-other-token");
        fx.start();

        ConnectionReport report = test("billing");

        assertThat(outcomes(report)).containsExactly(Outcome.OK, Outcome.OK, Outcome.FAILED, Outcome.NOT_TRIED);
        assertThat(failed(report).detail()).contains("refused the access token for " + ADDRESS)
                .contains("IMAP.AccessAsApp").doesNotContain(TOKEN);
    }

    @Test
    void exchangesAuthenticatedButNotConnectedIsExplainedAtTheStepThatMetIt() {
        fx = new IntakeFixture(dir);
        try (FakeExchangeImap exchange = new FakeExchangeImap(fx.greenMail().getImaps().getPort())) {
            fx.mailbox("billing", "entra", ADDRESS, "auth: app", "paused: true", "imap-host: localhost",
                    "imap-port: " + exchange.port());
            fx.entra().fixedAccessToken(TOKEN);
            fx.imapUser(ADDRESS, TOKEN);
            fx.start();

            ConnectionReport report = test("billing");

            assertThat(report.ok()).isFalse();
            assertThat(report.steps().get(0).ok()).as("the token was issued").isTrue();
            assertThat(failed(report).detail()).contains(FakeExchangeImap.NOT_CONNECTED.replace(".", ""))
                    .contains("New-ServicePrincipal").contains("Add-MailboxPermission -Identity " + ADDRESS);

            exchange.grantMailboxAccess();
            assertThat(test("billing").ok()).isTrue();
        }
    }

    @Test
    void aGoogleServiceAccountWithoutDelegationFailsAtTheTokenWithTheAdminConsoleStep() {
        fx = new IntakeFixture(dir).provider("google", "service-account-key: ${file:google-sa.json}")
                .mailbox("sales", "google", "sales@example.com", "auth: app", "paused: true");
        TestServiceAccount account = fx.google().serviceAccount("intake@intake-test.iam.gserviceaccount.com");
        fx.writeSecret("google-sa.json", account.jsonKey(fx.google().tokenUri()));
        fx.start();

        ConnectionReport report = test("sales");

        assertThat(outcomes(report)).startsWith(Outcome.FAILED);
        assertThat(failed(report).detail()).startsWith("unauthorized_client: ")
                .contains("Manage Domain Wide Delegation").contains(account.clientId());
    }
}
