package dev.intake.app.collect;

import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.MessageSummary;
import dev.intake.app.mail.MailClassifier;
import dev.intake.app.mail.MailParser;
import dev.intake.app.mail.ParseLimits;
import dev.intake.app.mail.ParsedMail;
import dev.intake.app.mail.ThreadMatcher;
import dev.intake.app.mail.Verdict;
import dev.intake.app.spool.Spool;
import dev.intake.app.ticket.MessageFacts;
import dev.intake.app.ticket.MessageKey;
import dev.intake.app.ticket.TicketStore;
import dev.intake.config.MailboxConfig;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and records one message: refuse (with a reason), a followup on an existing ticket, a duplicate of one
 * already ticketed, or a new ticket. A message's writes are all or nothing within its batch's transaction; a message
 * that cannot be stored as a ticket is recorded as refused with the error, so one bad message never stops the batch.
 */
public final class MessageProcessor {

    private static final Logger log = LoggerFactory.getLogger(MessageProcessor.class);

    private final TicketStore tickets;
    private final MailParser parser;
    private final MailClassifier classifier;
    private final java.util.function.Supplier<dev.intake.config.TicketsConfig> ticketsConfig;
    private final TicketContents contents;

    public MessageProcessor(TicketStore tickets, MailParser parser, MailClassifier classifier,
            java.util.function.Supplier<dev.intake.config.TicketsConfig> ticketsConfig, TicketContents contents) {
        this.tickets = tickets;
        this.parser = parser;
        this.classifier = classifier;
        this.ticketsConfig = ticketsConfig;
        this.contents = contents;
    }

    /** False when the message is refused by its size alone, so that its body is never downloaded. */
    boolean readsBody(MessageSummary message, MailboxConfig mailbox) {
        return classifier.classifyBySize(message.size(), mailbox).isEmpty();
    }

    void process(BatchBodies bodies, MailboxConfig mailbox, long uidValidity, MessageSummary message, PollSummary summary)
            throws ImapException, IOException {
        MessageKey key = new MessageKey(mailbox.id(), mailbox.folder(), uidValidity, message.uid());
        if (tickets.isProcessed(key)) {
            return;
        }
        Optional<Verdict> bySize = classifier.classifyBySize(message.size(), mailbox);
        if (bySize.isPresent()) {
            summary.countFetched();
            MessageFacts facts = new MessageFacts(message.messageId(), Optional.empty(), message.subject().orElse(""),
                    message.from().orElse(""));
            refuse(key, facts, bySize.get(), Optional.empty(), summary);
            return;
        }
        Optional<Spool> raw = bodies.raw(message);
        if (raw.isEmpty()) {
            log.info("Message UID {} disappeared from the server before it was read; nothing to collect", message.uid());
            return;
        }
        summary.countFetched();
        try (Spool spool = raw.get()) {
            handle(key, mailbox, spool, summary);
        }
    }

    private void handle(MessageKey key, MailboxConfig mailbox, Spool raw, PollSummary summary) {
        try (ParsedMail mail = parser.parse(raw, ParseLimits.of(mailbox))) {
            handle(key, mailbox, raw, mail, summary);
        }
    }

    private void handle(MessageKey key, MailboxConfig mailbox, Spool raw, ParsedMail mail, PollSummary summary) {
        MessageFacts facts = new MessageFacts(mail.messageId(), Optional.of(mail.fingerprint()), mail.subject(),
                mail.from().map(a -> a.address()).orElse(""));
        try {
            tickets.undoingOnFailure(() -> decide(key, mailbox, raw, mail, facts, summary));
        } catch (RuntimeException e) {
            log.error("UID {} could not be stored as a ticket; recording it as refused so the batch goes on", key.uid(), e);
            tickets.refuse(key, facts, "PROCESSING_ERROR",
                    "Intake could not store this message (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "). The original is kept; use Import anyway after the cause is fixed.", Optional.of(raw));
            summary.countFailed();
        }
    }

    private void decide(MessageKey key, MailboxConfig mailbox, Spool raw, ParsedMail mail, MessageFacts facts,
            PollSummary summary) {
        Optional<Long> same = tickets.ticketOfSameMessage(mailbox.id(), mail.messageId(), mail.fingerprint());
        if (same.isPresent()) {
            tickets.duplicate(key, facts, same.get());
            summary.countDuplicate();
            log.info("UID {} is the same message as ticket #{}; no second ticket", key.uid(), same.get());
            return;
        }
        Verdict verdict = classifier.classify(mail, raw.size(), mailbox);
        if (verdict.refused()) {
            refuse(key, facts, verdict, Optional.of(raw), summary);
            return;
        }
        Optional<Long> thread = new ThreadMatcher(ticketsConfig.get()).match(mail, contents.lookup());
        if (thread.isPresent()) {
            tickets.addFollowup(key, facts, thread.get(), contents.of(mail, mailbox));
            summary.countFollowup();
            log.info("UID {} is a followup on ticket #{}", key.uid(), thread.get());
        } else {
            long number = tickets.openTicket(key, facts, contents.of(mail, mailbox));
            summary.countTicket();
            log.info("UID {} became ticket #{}", key.uid(), number);
        }
    }

    private void refuse(MessageKey key, MessageFacts facts, Verdict verdict, Optional<Spool> raw, PollSummary summary) {
        String reason = verdict.reason().orElseThrow().name();
        tickets.refuse(key, facts, reason, verdict.detail(), raw);
        summary.countRefused(reason);
        log.info("UID {} refused: {} ({})", key.uid(), reason, verdict.detail());
    }
}
