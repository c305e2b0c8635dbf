package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.collect.CollectionFailedException;
import dev.intake.app.imap.ImapException;
import dev.intake.app.reconcile.Reconciliation;
import dev.intake.app.reconcile.UnrecordedMessage;
import dev.intake.config.MailboxConfig;
import dev.intake.provider.ProviderException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code intake reconcile MAILBOX}: compares the mailbox's accepted and refused folders with the records and
 * re-imports every message found without one (moved back to the collected folder, then collected).
 */
@Command(name = "reconcile", description = {
        "Compare the mail in a mailbox's accepted and refused folders (received within operations.reconcile-window) "
                + "with Intake's records, and re-import every message that has no record: it is moved back to the "
                + "collected folder and collected now.",
        "Exit code 0: nothing was missing (or everything missing was re-imported); 3: messages without a record were "
                + "found and left (--dry-run); 1: the check or the re-import failed."})
public final class ReconcileCommand extends DatabaseCommand {

    @Parameters(paramLabel = "MAILBOX", description = "the mailbox id from collector.yaml")
    String mailboxId;

    @Option(names = "--dry-run", description = "only report; move nothing")
    boolean dryRun;

    @Override
    int run(Intake intake, PrintWriter out, PrintWriter err) {
        Optional<MailboxConfig> mailbox = intake.currentConfig().mailbox(mailboxId);
        if (mailbox.isEmpty()) {
            err.println("intake: mailbox '" + mailboxId + "' is not configured in " + options.describeSource());
            return 2;
        }
        if (intake.statuses().find(mailboxId).map(s -> s.display().equals("not authorized")).orElse(true)) {
            err.println("intake: mailbox '" + mailboxId + "' is not authorized: authorize it first (intake authorize "
                    + mailboxId + ")");
            return 2;
        }
        Reconciliation r = intake.reconciler().check(mailboxId);
        if (r.error().isPresent()) {
            err.println("intake: could not compare the folders of '" + mailboxId + "' with the records: " + r.error().get());
            return 1;
        }
        out.println("checked     " + r.checked() + " message(s) received since " + r.since());
        out.println("unrecorded  " + r.unrecorded().size());
        for (UnrecordedMessage u : r.unrecorded()) {
            out.println("  " + u.folder() + " UID " + u.uid() + "  " + u.messageId().orElse("(no Message-ID)") + "  "
                    + (u.subject().isEmpty() ? "(no subject)" : u.subject()));
        }
        if (r.unrecorded().isEmpty()) {
            out.flush();
            return 0;
        }
        if (dryRun) {
            out.println("nothing moved (--dry-run); run without --dry-run to re-import them");
            out.flush();
            return 3;
        }
        try {
            int moved = intake.reconciler().reimport(mailboxId);
            out.println("moved back  " + moved + " to " + mailbox.get().folder());
            out.flush();
        } catch (ProviderException | ImapException e) {
            err.println("intake: re-import failed: " + e.getMessage());
            return 1;
        }
        return collect(intake, mailbox.get(), out, err);
    }

    /** Collects at once, so that the re-imported messages are tickets when the command returns. */
    private int collect(Intake intake, MailboxConfig mailbox, PrintWriter out, PrintWriter err) {
        if (mailbox.paused() || intake.mailboxActions().pausedByAdmin(mailboxId)) {
            out.println("the mailbox is paused: they are collected when it is resumed");
            out.flush();
            return 0;
        }
        try {
            var summary = intake.collection().poll(mailbox, () -> false);
            out.println("collected   " + summary);
            out.flush();
            return 0;
        } catch (CollectionFailedException e) {
            err.println("intake: the messages are back in " + mailbox.folder() + ", but collecting them failed: "
                    + e.getMessage() + " (the next run takes them)");
            return 1;
        }
    }
}
