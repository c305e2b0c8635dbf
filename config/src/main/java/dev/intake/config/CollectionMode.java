package dev.intake.config;

/** How a mailbox learns of new mail ({@code mailboxes[].mode}). */
public enum CollectionMode {
    /** Collected every {@code poll-every}. */
    POLL,
    /**
     * A long-lived IMAP connection in IDLE collects as soon as the server announces new mail; the schedule still
     * polls every {@code idle-safety-poll-every} in case a notification is lost.
     */
    IDLE
}
