package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.collect.CollectionFailedException;
import dev.intake.app.collect.PollSummary;
import dev.intake.app.store.MailboxRecord;
import dev.intake.app.store.MailboxState;
import dev.intake.config.MailboxConfig;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intake poll MAILBOX}: one collection now, with a summary. */
@Command(name = "poll", description = "Collect one mailbox now and print what happened (fetched, tickets, followups, refused by reason, errors).")
public final class PollCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "MAILBOX", description = "the mailbox id from collector.yaml")
    String mailboxId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Optional<Intake> opened = OfflineIntake.open(options, err);
        if (opened.isEmpty()) {
            return 2;
        }
        try (Intake intake = opened.get()) {
            Optional<MailboxConfig> mailbox = intake.currentConfig().mailbox(mailboxId);
            if (mailbox.isEmpty()) {
                err.println("intake: mailbox '" + mailboxId + "' is not configured in " + options.describeSource());
                return 2;
            }
            MailboxState state = intake.mailboxes().find(mailboxId).map(MailboxRecord::state).orElse(MailboxState.NOT_AUTHORIZED);
            if (state != MailboxState.ACTIVE) {
                err.println("intake: mailbox '" + mailboxId + "' is " + state.name().toLowerCase().replace('_', ' ')
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
    }

    private static void print(java.io.PrintWriter out, PollSummary s) {
        out.println("fetched     " + s.fetched());
        out.println("tickets     " + s.tickets());
        out.println("followups   " + s.followups());
        out.println("duplicates  " + s.duplicates());
        out.println("refused     " + s.refusedTotal());
        s.refused().forEach((reason, n) -> out.println("  " + reason.toLowerCase() + " " + n));
        out.println("errors      " + s.failed());
        out.flush();
    }
}
