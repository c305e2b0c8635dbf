package dev.intake.app.web;

/** What the admin's buttons do to a mailbox's collection; {@code Intake} implements it over its scheduler and store. */
public interface MailboxControl {

    /**
     * Collects the mailbox now, in the background.
     *
     * @throws IllegalStateException when the mailbox is not being collected (its message says why)
     */
    void pollNow(String mailboxId);

    /** Pauses or resumes collection (separately from the configuration's {@code paused}). */
    void setPaused(String mailboxId, boolean paused);

    /** Whether an admin paused the mailbox from the UI. */
    boolean pausedByAdmin(String mailboxId);
}
