package dev.intake.app.collect;

import dev.intake.app.mail.Attachment;
import dev.intake.app.mail.DroppedAttachment;
import dev.intake.app.mail.MailAddress;
import dev.intake.app.mail.ParsedMail;
import dev.intake.app.mail.TicketLookup;
import dev.intake.app.ticket.AttachmentContent;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.TicketContent;
import dev.intake.app.ledger.LedgerStore;
import dev.intake.app.store.Transaction;
import dev.intake.app.ticket.TicketStore;
import dev.intake.config.ByteSizes;
import dev.intake.config.DateSource;
import dev.intake.config.MailboxConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a parsed mail into what a ticket or followup stores, following the mailbox's settings. */
public final class TicketContents {

    private final LedgerStore ledger;
    private final TicketStore tickets;
    private final Clock clock;

    public TicketContents(LedgerStore ledger, TicketStore tickets, Clock clock) {
        this.ledger = ledger;
        this.tickets = tickets;
        this.clock = clock;
    }

    public TicketContent of(ParsedMail mail, MailboxConfig mailbox) {
        Instant date = mailbox.dateSource() == DateSource.MAIL ? mail.date().orElse(clock.instant()) : clock.instant();
        List<String> notes = new ArrayList<>();
        for (DroppedAttachment d : mail.droppedAttachments()) {
            notes.add("Attachment \"" + d.fileName() + "\" (" + ByteSizes.format(d.size()) + ") was not kept: it is larger "
                    + "than max-attachment-size (" + ByteSizes.format(mailbox.maxAttachmentSize()) + ").");
        }
        mail.malformedReason().ifPresent(r -> notes.add("The message's MIME structure is damaged (" + r
                + "); its content is shown as well as it could be read, and the original is attached."));
        notes.addAll(mail.warnings());
        List<AttachmentContent> attachments = new ArrayList<>();
        for (Attachment a : mail.attachments()) {
            attachments.add(new AttachmentContent(a.fileName(), a.contentType(), a.size(), a.sha256Hex(), a.contentId(),
                    a.inline(), a.spool()));
        }
        return new TicketContent(
                mail.subject().isBlank() ? "(no subject)" : mail.subject(),
                mail.requester(mailbox.useReplyTo()).map(TicketContents::person),
                mail.cc().stream().map(MailAddress::address).toList(),
                date,
                mail.textBody(),
                mail.htmlBody(),
                mail.messageId(),
                notes,
                attachments);
    }

    private static Person person(MailAddress a) {
        return new Person(a.address(), a.name());
    }

    /**
     * Threading looks tickets up by number (the subject tag) and by Message-ID (In-Reply-To, References), in the
     * batch's transaction: a reply may follow its original within one batch.
     */
    TicketLookup lookup(Transaction tx) {
        return new TicketLookup() {
            @Override
            public Optional<Long> ticketByNumber(long number) {
                return tickets.exists(tx, number) ? Optional.of(number) : Optional.empty();
            }

            @Override
            public Optional<Long> ticketByMessageId(String messageId) {
                return ledger.ticketByMessageId(tx, messageId);
            }
        };
    }
}
