package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.collect.CollectionFailedException;
import dev.intake.app.collect.PollSummary;
import dev.intake.app.status.MailboxStatus;
import dev.intake.config.MailboxConfig;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code intake poll MAILBOX}: one collection now, with a summary. */
@Command(name = "poll", description = "Collect one mailbox now and print what happened (fetched, tickets, followups, refused by reason, errors).")
public final class PollCommand extends DatabaseCommand {

    @Parameters(paramLabel = "MAILBOX", description = "the mailbox id from collector.yaml")
    String mailboxId;

    @Override
    int run(Intake intake, java.io.PrintWriter out, java.io.PrintWriter err) {
        Optional<MailboxConfig> mailbox = intake.currentConfig().mailbox(mailboxId);
        if (mailbox.isEmpty()) {
            err.println("intake: mailbox '" + mailboxId + "' is not configured in " + options.describeSource());
            return 2;
        }
        MailboxStatus status = intake.statuses().find(mailboxId).orElseThrow();
        if (!status.authorized()) {
            err.println("intake: mailbox '" + mailboxId + "' is " + status.display()
                    + ": authorize it first (intake authorize " + mailboxId + ")");
            return 2;
        }
        try {
            PollSummary summary = intake.collection().poll(mailbox.get(), () -> false);
            print(out, summary);
            return 0;
        } catch (CollectionFailedException e) {
            print(out, e.summary());
            err.println("intake: collection of '" + mailboxId + "' failed: " + e.getMessage());
            return 1;
        }
    }

    private static void print(java.io.PrintWriter out, PollSummary s) {
        out.println("fetched     " + s.fetched());
        out.println("tickets     " + s.tickets());
        out.println("followups   " + s.followups());
        out.println("duplicates  " + s.duplicates());
        out.println("refused     " + s.refusedTotal());
        s.refused().forEach((reason, n) -> out.println("  " + reason.toLowerCase(Locale.ROOT) + " " + n));
        out.println("errors      " + s.failed());
        out.flush();
    }
}
