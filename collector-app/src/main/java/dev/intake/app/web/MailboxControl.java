package dev.intake.app.web;

import dev.intake.app.check.ConnectionReport;
import dev.intake.app.reconcile.Reconciliation;
import java.util.List;
import java.util.Optional;

/** What the admin's buttons do to a mailbox's collection; {@code Intake} implements it over its scheduler and store. */
public interface MailboxControl {

    /**
     * Collects the mailbox now, in the background.
     *
     * @throws IllegalStateException when the mailbox is not being collected (its message says why)
     */
    void pollNow(String mailboxId);

    /**
     * Test connection: an access token, the IMAP connection and login, the collected folder, each step reported.
     *
     * @throws IllegalArgumentException when the mailbox is not configured
     */
    ConnectionReport testConnection(String mailboxId);

    /** For an app-only mailbox, what the admin must do outside Intake, step by step; otherwise empty. */
    List<String> appOnlySetup(String mailboxId);

    /** Pauses or resumes collection (separately from the configuration's {@code paused}). */
    void setPaused(String mailboxId, boolean paused);

    /** Whether an admin paused the mailbox from the UI. */
    boolean pausedByAdmin(String mailboxId);

    /** The last comparison of the mailbox's accepted and refused folders with the records, with what it found. */
    Optional<Reconciliation> lastReconciliation(String mailboxId);

    /** Compares the folders with the records now. */
    Reconciliation reconcileNow(String mailboxId);

    /**
     * Moves the messages found without a record back to the collected folder and collects the mailbox.
     *
     * @return how many were moved back
     * @throws IllegalStateException with what went wrong, in words
     */
    int reimportUnrecorded(String mailboxId);
}
