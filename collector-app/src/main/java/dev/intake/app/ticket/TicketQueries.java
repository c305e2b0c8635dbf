package dev.intake.app.ticket;

import java.util.List;
import java.util.Optional;

/** How the CLI, the admin's pages and the API read tickets. */
public interface TicketQueries {

    List<TicketSummary> list(TicketQuery q);

    long count(TicketQuery q);

    Optional<Ticket> find(long number);

    Optional<StoredAttachment> attachment(long id);
}
