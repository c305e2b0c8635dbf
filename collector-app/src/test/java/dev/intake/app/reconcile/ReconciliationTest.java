package dev.intake.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.cli.CommandLineTest;
import dev.intake.app.collect.PollSummary;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.Mails;
import dev.intake.config.MailboxConfig;
import dev.intake.testing.Browser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safety net behind the durability promise: when the database no longer has records of messages Intake already
 * moved (here: the records of a committed batch are deleted, as a restored backup or a lying disk would leave them),
 * the check finds those messages in the accepted and refused folders, says so on the mailbox page, in
 * {@code /health/ready}, the metrics and the API, and Re-import turns them into tickets again.
 */
class ReconciliationTest {

    static final String ADDRESS = "support@contoso.com";
    static final String TOKEN = "imap-access-token-reconcile";

    @TempDir
    Path dir;

    IntakeFixture fx;
    GreenMailUser user;

    @BeforeEach
    void start() throws Exception {
        fx = new IntakeFixture(dir).mailbox("support", "entra", ADDRESS, "accepted-folder: Intake/Accepted",
                "refused-folder: Intake/Refused", "initial-sync: all", "poll-every: 1h", "paused: true");
        fx.entra().fixedAccessToken(TOKEN);
        user = fx.imapUser(ADDRESS, TOKEN);
        fx.start();
        assertThat(fx.authorize("support", ADDRESS).status()).isEqualTo(200);
        deliver(Mails.plain("ann@customer.example", ADDRESS, "Printer broken", "<r1@customer.example>", "It jams."));
        deliver(Mails.plain("bob@customer.example", ADDRESS, "VPN down", "<r2@customer.example>", "No tunnel."));
        deliver(Mails.plain("cat@customer.example", ADDRESS, "No id", null, "A mailer that writes no Message-ID."));
        deliver(Mails.plain("dan@customer.example", ADDRESS, "Away", "<r4@customer.example>", "Back Monday.",
                "Auto-Submitted: auto-replied"));
        deliver(Mails.plain("eve@customer.example", ADDRESS, "Kept", "<r5@customer.example>", "This one stays recorded."));
        PollSummary first = poll();
        assertThat(first.tickets()).isEqualTo(4);
        assertThat(first.refusedTotal()).isEqualTo(1);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aFolderThatAgreesWithTheRecordsIsReportedClean() {
        Reconciliation r = fx.intake().reconciler().check("support");

        assertThat(r.error()).isEmpty();
        assertThat(r.checked()).isEqualTo(5);
        assertThat(r.unrecorded()).isEmpty();
        assertThat(fx.intake().readiness().warnings()).noneMatch(w -> w.contains("no record"));
    }

    @Test
    void messagesMovedWithoutARecordAreReportedEverywhereAndReimportedWithOneClick() throws Exception {
        forgetRecords("Printer broken", "No id", "Away");

        Reconciliation r = fx.intake().reconciler().check("support");

        assertThat(r.unrecorded()).extracting(UnrecordedMessage::subject)
                .containsExactlyInAnyOrder("Printer broken", "No id", "Away");
        assertThat(r.unrecorded()).filteredOn(u -> u.subject().equals("Away")).extracting(UnrecordedMessage::folder)
                .containsExactly("Intake/Refused");
        assertThat(r.unrecorded()).filteredOn(u -> u.subject().equals("Printer broken"))
                .extracting(UnrecordedMessage::messageId).containsExactly(Optional.of("<r1@customer.example>"));
        assertThat(fx.intake().readiness().warnings())
                .anyMatch(w -> w.contains("'support': 3 message(s)") && w.contains("intake reconcile support"));
        assertThat(fx.intake().metrics().scrape()).contains("intake_unrecorded_messages{mailbox=\"support\"} 3.0");

        Browser admin = fx.signedInBrowser();
        Browser.Page page = admin.open(fx.url("/mailboxes/support"));
        assertThat(page.body()).contains("3 message(s) may be missing from the helpdesk").contains("Printer broken")
                .contains("data-unrecorded=\"3\"");
        assertThat(admin.open(fx.url("/api/mailboxes")).body()).contains("\"unrecorded\":3");

        Browser.Page after = admin.post(fx.url("/mailboxes/support/unrecorded/reimport"),
                Map.of("_csrf", IntakeFixture.formField(page.body(), "_csrf")));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.body()).contains("Moved back to the collected folder");
        assertThat(fx.subjects(user, "INBOX")).containsExactlyInAnyOrder("Printer broken", "No id", "Away");

        PollSummary again = poll(); // the mailbox is paused in this test; a collected one is polled at once
        assertThat(again.tickets()).isEqualTo(2);
        assertThat(again.refusedTotal()).isEqualTo(1);
        assertThat(fx.intake().reconciler().check("support").unrecorded()).isEmpty();
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(fx.intake().metrics().scrape()).contains("intake_unrecorded_messages{mailbox=\"support\"} 0.0");
    }

    @Test
    void theCommandReportsWithDryRunAndReimportsAndCollectsWithout() throws Exception {
        forgetRecords("VPN down");
        fx.stop();
        String config = fx.configFile().toString();

        CommandLineTest.Result dry = CommandLineTest.run("reconcile", "support", "--dry-run", "--config", config);
        assertThat(dry.code()).as(dry.err()).isEqualTo(3);
        assertThat(dry.out()).contains("unrecorded  1").contains("<r2@customer.example>").contains("nothing moved");
        assertThat(fx.subjects(user, "INBOX")).isEmpty();

        CommandLineTest.Result fix = CommandLineTest.run("reconcile", "support", "--config", config);
        assertThat(fix.code()).as(fix.err()).isZero();
        assertThat(fix.out()).contains("moved back  1 to INBOX");
        // Paused in this test: the message waits in INBOX for the next run instead of being collected at once.
        assertThat(fix.out()).contains("the mailbox is paused");
        assertThat(fx.subjects(user, "INBOX")).containsExactly("VPN down");

        CommandLineTest.Result poll = CommandLineTest.run("poll", "support", "--config", config);
        assertThat(poll.out()).contains("tickets     1");
        assertThat(CommandLineTest.run("reconcile", "support", "--dry-run", "--config", config).code()).isZero();
    }

    @Test
    void afterAnUncleanShutdownOnH2TheNodeReimportsWhatTheDatabaseLostByItself() throws Exception {
        fx.stop();
        resume(); // collected on schedule, so that recovered mail is collected at once
        fx.start();
        forgetRecords("Printer broken", "Away");
        fx.stop();
        // What kill -9 leaves: the marker of a running node (and, with H2, possibly a file rolled back to an older
        // version, which forgetRecords stands for here).
        java.nio.file.Files.writeString(dir.resolve("data/intake.running"), "pid 1\n");

        fx.start();

        dev.intake.app.process.Eventually.await("the lost messages to be collected again", () ->
                fx.intake().tickets().count(dev.intake.app.ticket.TicketQuery.firstPage(100)) == 4
                        && fx.subjects(user, "INBOX").isEmpty() && fx.subjects(user, "Intake.Refused").size() == 1);
        assertThat(fx.subjects(user, "Intake.Accepted")).contains("Printer broken");
        assertThat(fx.subjects(user, "Intake.Refused")).containsExactly("Away");
        assertThat(fx.intake().reconciler().check("support").unrecorded()).isEmpty();
        fx.stop();
        assertThat(dir.resolve("data/intake.running")).as("removed by the clean stop").doesNotExist();
    }

    @Test
    void aReplyWaitingInTheInboxFollowsTheLostRequestItAnswersInsteadOfBecomingATicket() throws Exception {
        fx.stop();
        fx.start();
        forgetRecords("Printer broken");
        // Arrived while the node was down, after the request whose record the crash took: waiting in INBOX.
        deliver(Mails.plain("ann@customer.example", ADDRESS, "Re: Printer broken", "<r1-reply@customer.example>",
                "Still jams.", "In-Reply-To: <r1@customer.example>", "References: <r1@customer.example>"));
        fx.stop();
        java.nio.file.Files.writeString(dir.resolve("data/intake.running"), "pid 1\n");
        resume();

        fx.start();

        dev.intake.app.process.Eventually.await("the request and its reply to be collected", () ->
                fx.subjects(user, "INBOX").isEmpty() && fx.subjects(user, "Intake.Accepted").contains("Re: Printer broken"));
        var printer = fx.intake().tickets().list(dev.intake.app.ticket.TicketQuery.firstPage(100)).stream()
                .filter(t -> t.subject().contains("Printer")).toList();
        assertThat(printer).as("one ticket, the request's").singleElement()
                .satisfies(t -> assertThat(t.subject()).isEqualTo("Printer broken"));
        assertThat(fx.intake().tickets().find(printer.get(0).number()).orElseThrow().followups())
                .as("the reply is its followup").hasSize(1);
        assertThat(fx.subjects(user, "Intake.Accepted-recovering")).as("nothing left set aside").isEmpty();
    }

    @Test
    void mailARecoveryCouldNotPutBackIsReturnedByTheCheckAfterACleanStart() throws Exception {
        fx.stop();
        // A recovery set this mail aside, then could not move it back (the server went away) before a clean stop.
        fx.append(user, "Intake.Accepted-recovering", Mails.plain("fay@customer.example", ADDRESS, "Set aside",
                "<aside@customer.example>", "Waiting behind a lost request."), Instant.now());

        fx.start();

        dev.intake.app.process.Eventually.await("the routine check after the start to move it back", () ->
                fx.subjects(user, "Intake.Accepted-recovering").isEmpty());
        assertThat(fx.subjects(user, "INBOX")).containsExactly("Set aside");
        assertThat(poll().tickets()).isEqualTo(1);
        assertThat(fx.subjects(user, "Intake.Accepted")).contains("Set aside");
    }

    private void resume() {
        fx.editMailboxes("paused: true", "paused: false");
    }

    /** What a restored backup leaves: the messages were moved, but their tickets and records are gone. */
    private void forgetRecords(String... subjects) {
        fx.stores().jdbi().useTransaction(h -> {
            for (String subject : subjects) {
                List<Long> tickets = h.createQuery("SELECT ticket_id FROM processed_message WHERE subject = :s "
                        + "AND ticket_id IS NOT NULL").bind("s", subject).mapTo(Long.class).list();
                h.createUpdate("DELETE FROM processed_message WHERE subject = :s").bind("s", subject).execute();
                for (long t : tickets) {
                    h.createUpdate("DELETE FROM attachment WHERE ticket_id = :t").bind("t", t).execute();
                    h.createUpdate("DELETE FROM ticket WHERE id = :t").bind("t", t).execute();
                }
            }
        });
    }

    private PollSummary poll() throws Exception {
        MailboxConfig mailbox = fx.intake().currentConfig().mailbox("support").orElseThrow();
        return fx.intake().collection().poll(mailbox, () -> false);
    }

    private void deliver(String raw) {
        fx.append(user, "INBOX", raw, Instant.now());
    }
}
