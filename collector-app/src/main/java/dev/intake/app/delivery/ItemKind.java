package dev.intake.app.delivery;

/** What an outbox item carries. */
public enum ItemKind {
    /** A new ticket. */
    TICKET,
    /** A followup of a ticket already delivered to the same target. */
    FOLLOWUP,
    /** An attachment of a ticket or followup already delivered to the same target. */
    ATTACHMENT,
    /** A message refused (webhooks). */
    MESSAGE_REFUSED,
    /** A mailbox paused, resumed, failing... (webhooks). */
    MAILBOX_STATE_CHANGED
}
