package dev.intake.app.mail;

import java.util.Optional;

/** How {@link ThreadMatcher} finds existing tickets; implemented over the ticket store. */
public interface TicketLookup {

    /** The id of the ticket with this number (as shown in subject tags), when it exists. */
    Optional<Long> ticketByNumber(long number);

    /**
     * The id of the ticket that holds a mail (its first mail or a followup) with this Message-ID, in the normal
     * form {@code <id@host>} that {@link ParsedMail#messageId()} uses.
     */
    Optional<Long> ticketByMessageId(String messageId);
}
