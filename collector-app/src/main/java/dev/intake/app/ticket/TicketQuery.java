package dev.intake.app.ticket;

import java.time.Instant;
import java.util.Optional;

/**
 * A page of the ticket list.
 *
 * @param text matched case-insensitively against subject and requester
 * @param page 1-based
 */
public record TicketQuery(Optional<String> mailboxId, Optional<String> text, Optional<Instant> since, int page, int pageSize) {

    public static TicketQuery firstPage(int pageSize) {
        return new TicketQuery(Optional.empty(), Optional.empty(), Optional.empty(), 1, pageSize);
    }
}
