package dev.intake.app.ledger;

/** What became of a collected message. */
public enum Outcome {
    /** A new ticket. */
    TICKET,
    /** A followup on an existing ticket. */
    FOLLOWUP,
    /** Not ticketed, for a recorded reason (auto-reply, bulk, loop, blocked sender, oversize...). */
    REFUSED,
    /** The same message (Message-ID or identical bytes) was already ticketed from this mailbox. */
    DUPLICATE
}
