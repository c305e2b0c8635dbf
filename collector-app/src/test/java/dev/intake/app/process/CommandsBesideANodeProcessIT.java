package dev.intake.app.process;

import static dev.intake.app.process.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.process.ProcessFixture.CommandResult;
import dev.intake.testing.Mails;
import dev.intake.testing.Browser;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's commands work beside a running node on the embedded H2 file (which serves one process): the node
 * runs them for the command, which prints what the node answers. A second node on the file is still refused.
 */
class CommandsBesideANodeProcessIT {

    static final String ADDRESS = "support@contoso.com";

    ProcessFixture bed;

    @AfterEach
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void mailboxesTicketsPollKeysAndReconcileWorkBesideARunningNode() {
        bed = ProcessFixture.onH2("beside");
        // Paused: the node's schedule leaves it alone, so the poll below is the run that collects.
        bed.mailbox("support", "entra", ADDRESS, "accepted-folder: Intake/Accepted", "initial-sync: all",
                "poll-every: 1h", "paused: true");
        NodeProcess node = bed.start("single");
        bed.signingInAs("entra", ADDRESS);
        assertThat(CrossNodeSignIn.authorize("support", node, node).body()).contains("Mailbox authorized");
        bed.deliver(ADDRESS, Mails.plain("Ann <ann@customer.example>", ADDRESS, "Printer broken", "<b1@customer.example>",
                "It jams."));

        CommandResult poll = bed.command("single", "poll", "support");
        assertThat(poll.exitCode()).as(poll.out()).isZero();
        assertThat(poll.out()).contains("tickets     1");

        CommandResult mailboxes = bed.command("single", "mailboxes");
        assertThat(mailboxes.exitCode()).as(mailboxes.out()).isZero();
        assertThat(mailboxes.out()).contains("support").contains(ADDRESS);

        CommandResult tickets = bed.command("single", "tickets", "list");
        assertThat(tickets.out()).contains("Printer broken").contains("1 ticket(s)");

        CommandResult keys = bed.command("single", "keys", "rotate");
        assertThat(keys.exitCode()).as(keys.out()).isZero();
        assertThat(keys.out()).contains("Nothing to do");

        CommandResult reconcile = bed.command("single", "reconcile", "support", "--dry-run");
        assertThat(reconcile.exitCode()).as(reconcile.out()).isZero();
        assertThat(reconcile.out()).contains("unrecorded  0");

        assertThat(bed.command("single", "poll", "nosuch").exitCode()).isEqualTo(2);
        assertThat(node.log()).contains("Running `intake poll support` for a command beside this node");

        assertThat(node.terminate(Duration.ofSeconds(45))).contains(0);
        await("the node to remove its command file", () -> !java.nio.file.Files.exists(
                bed.dir().resolve("data/intake.cli")));
        CommandResult afterwards = bed.command("single", "tickets", "list");
        assertThat(afterwards.exitCode()).as("with no node, the command opens the file itself").isZero();
        assertThat(afterwards.out()).contains("Printer broken");
    }

    @Test
    void aStrangerWithoutTheTokenGetsNothing() throws Exception {
        bed = ProcessFixture.onH2("stranger");
        NodeProcess node = bed.start("single");
        Browser.Page page = Browser.trustingTestCertificates().post(node.url("/internal/command"),
                java.util.Map.of("args", "tickets list"));
        assertThat(page.status()).isEqualTo(404);
    }
}
