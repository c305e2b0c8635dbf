package dev.intake.app.ticket;

import java.util.Optional;

/** What people and integrations change on a stored ticket (its content from the mail never changes). */
public interface TicketUpdates {

    /** @return false when there is no such ticket */
    boolean setStatus(long number, TicketStatus status);

    /** @return the note's id; empty when there is no such ticket */
    Optional<Long> addInternalNote(long number, String author, String body);

    /** Records that the ticket now lives in another system too. @return false when there is no such ticket */
    boolean markExported(long number, String externalId, Optional<String> url);
}
