package dev.intake.app.ticket;

import java.time.Instant;
import java.util.Optional;

/** A line of the ticket list. */
public record TicketSummary(long number, String mailboxId, String subject, Optional<Person> requester, Instant date,
        int followups, int attachments) {
}
