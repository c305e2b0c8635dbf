package dev.intake.app.collect;

import dev.intake.app.mail.MailParser;
import dev.intake.app.mail.ParseLimits;
import dev.intake.app.mail.ParsedMail;
import dev.intake.app.events.EventStore;
import dev.intake.app.events.EventType;
import dev.intake.app.ledger.Outcome;
import dev.intake.app.ledger.RefusedOriginal;
import dev.intake.app.ledger.LedgerStore;
import dev.intake.app.store.Transactions;
import dev.intake.app.ticket.TicketStore;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** "Import anyway": an admin turns a wrongly refused message into a ticket, from the original Intake kept. */
public final class RefusedImports {

    private static final Logger log = LoggerFactory.getLogger(RefusedImports.class);

    private final Supplier<IntakeConfig> config;
    private final Transactions transactions;
    private final LedgerStore ledger;
    private final TicketStore tickets;
    private final MailParser parser;
    private final TicketContents contents;
    private final EventStore events;

    public RefusedImports(Supplier<IntakeConfig> config, Transactions transactions, LedgerStore ledger,
            TicketStore tickets, MailParser parser, TicketContents contents, EventStore events) {
        this.events = events;
        this.config = config;
        this.transactions = transactions;
        this.ledger = ledger;
        this.tickets = tickets;
        this.parser = parser;
        this.contents = contents;
    }

    /**
     * @return the new ticket's number
     * @throws ImportRefusedException with a message for the admin when the message cannot be imported
     */
    public long importAnyway(long processedId, String admin) {
        RefusedOriginal refused = ledger.refusedOriginal(processedId)
                .orElseThrow(() -> new ImportRefusedException("There is no collected message #" + processedId + "."));
        if (refused.record().outcome() != Outcome.REFUSED) {
            throw new ImportRefusedException("This message is not a refusal (it is "
                    + refused.record().outcome().name().toLowerCase(Locale.ROOT)
                    + refused.record().ticketId().map(t -> ", ticket #" + t).orElse("") + ").");
        }
        byte[] raw = refused.original().orElseThrow(() -> new ImportRefusedException(
                "Intake did not keep this message (it was refused for its size before it was downloaded). Find it in the "
                        + "mailbox's refused folder, or raise max-message-size and move it back to the collected folder."));
        MailboxConfig mailbox = config.get().mailbox(refused.record().key().mailboxId())
                .orElseThrow(() -> new ImportRefusedException("Mailbox '" + refused.record().key().mailboxId()
                        + "' is no longer configured."));
        long number;
        try (ParsedMail mail = parser.parse(raw, ParseLimits.of(mailbox))) {
            String mailboxId = mailbox.id();
            number = transactions.inTransaction(tx -> {
                long ticket = tickets.open(tx, mailboxId, contents.of(mail, mailbox));
                if (!ledger.markImported(tx, processedId, ticket, admin)) {
                    throw new ImportRefusedException("This message was imported already."); // and the ticket rolls back
                }
                events.append(tx, EventType.TICKET_CREATED, mailboxId, ticket, null, null);
                return ticket;
            });
        }
        log.info("Refused message #{} ({}) imported by {} as ticket #{}", processedId,
                refused.record().reason().map(Enum::name).orElse("?"),
                admin, number);
        return number;
    }

    /** The message cannot be imported; the message says why and what to do. */
    public static final class ImportRefusedException extends RuntimeException {
        public ImportRefusedException(String message) {
            super(message);
        }
    }
}
