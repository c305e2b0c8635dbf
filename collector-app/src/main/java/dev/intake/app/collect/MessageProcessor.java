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
import dev.intake.app.events.EventStore;
import dev.intake.app.events.EventType;
import dev.intake.app.ledger.LedgerStore;
import dev.intake.app.ledger.Decision;
import dev.intake.app.ledger.MessageFacts;
import dev.intake.app.ledger.MessageKey;
import dev.intake.app.mail.RefusalReason;
import dev.intake.app.store.Transaction;
import dev.intake.app.ticket.TicketStore;
import dev.intake.config.MailboxConfig;
import dev.intake.config.TicketsConfig;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and records one message: refuse (with a reason), a followup on an existing ticket, a duplicate of one
 * already ticketed, or a new ticket. A message's writes are all or nothing within its batch's transaction; a message
 * that cannot be stored as a ticket is recorded as refused with the error, so one bad message never stops the batch.
 */
public final class MessageProcessor {

    private static final Logger log = LoggerFactory.getLogger(MessageProcessor.class);

    private final LedgerStore ledger;
    private final TicketStore tickets;
    private final MailParser parser;
    private final MailClassifier classifier;
    private final Supplier<TicketsConfig> ticketsConfig;
    private final TicketContents contents;
    private final EventStore events;

    public MessageProcessor(LedgerStore ledger, TicketStore tickets, MailParser parser, MailClassifier classifier,
            Supplier<TicketsConfig> ticketsConfig, TicketContents contents, EventStore events) {
        this.events = events;
        this.ledger = ledger;
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

    /**
     * A message taken from the batch to be stored: refused by its size alone (its body never read), or with its raw
     * body fetched, to be parsed. Closing it deletes the raw body's temporary file, if any.
     */
    record Taken(MessageKey key, MessageSummary message, Optional<Verdict> refusedBySize, Optional<Spool> raw)
            implements AutoCloseable {
        @Override
        public void close() {
            raw.ifPresent(Spool::close);
        }
    }

    /**
     * What the run's thread does first for a message not recorded yet: refuse it by its size without reading it, or
     * fetch its body (through the batch's IMAP fetches).
     *
     * @return empty when there is nothing to store: the message is gone from the server
     */
    Optional<Taken> take(BatchBodies bodies, MailboxConfig mailbox, long uidValidity, MessageSummary message)
            throws ImapException, IOException {
        MessageKey key = new MessageKey(mailbox.id(), mailbox.folder(), uidValidity, message.uid());
        Optional<Verdict> bySize = classifier.classifyBySize(message.size(), mailbox);
        if (bySize.isPresent()) {
            return Optional.of(new Taken(key, message, bySize, Optional.empty()));
        }
        Optional<Spool> raw = bodies.raw(message);
        if (raw.isEmpty()) {
            log.info("Message UID {} disappeared from the server before it was read; nothing to collect", message.uid());
            return Optional.empty();
        }
        return Optional.of(new Taken(key, message, Optional.empty(), raw));
    }

    /** Parses a taken message's body. Touches neither the session nor the database: it may run on any thread. */
    Optional<ParsedMail> parse(Taken taken, MailboxConfig mailbox) {
        return taken.raw().map(raw -> parser.parse(raw, ParseLimits.of(mailbox)));
    }

    /** Decides and records a taken message in the batch's transaction, on the run's thread, in UID order. */
    void store(Transaction tx, Taken taken, Optional<ParsedMail> mail, MailboxConfig mailbox, PollSummary summary) {
        summary.countFetched();
        if (taken.refusedBySize().isPresent()) {
            MessageSummary message = taken.message();
            MessageFacts facts = new MessageFacts(message.messageId(), Optional.empty(), message.subject().orElse(""),
                    message.from().orElse(""));
            refuse(tx, taken.key(), facts, taken.refusedBySize().get(), Optional.empty(), summary);
            return;
        }
        handle(tx, taken.key(), mailbox, taken.raw().orElseThrow(), mail.orElseThrow(), summary);
    }

    private void handle(Transaction tx, MessageKey key, MailboxConfig mailbox, Spool raw, ParsedMail mail, PollSummary summary) {
        MessageFacts facts = new MessageFacts(mail.messageId(), Optional.of(mail.fingerprint()), mail.subject(),
                mail.from().map(a -> a.address()).orElse(""));
        try {
            tx.undoingOnFailure(() -> decide(tx, key, mailbox, raw, mail, facts, summary));
        } catch (RuntimeException e) {
            log.error("UID {} could not be stored as a ticket; recording it as refused so the batch goes on", key.uid(), e);
            ledger.record(tx, key, facts, new Decision.Refused(RefusalReason.PROCESSING_ERROR,
                    "Intake could not store this message (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "). The original is kept; use Import anyway after the cause is fixed.", Optional.of(raw)));
            events.append(tx, EventType.MESSAGE_REFUSED, mailbox.id(), null, null, RefusalReason.PROCESSING_ERROR.name());
            summary.countFailed();
        }
    }

    private void decide(Transaction tx, MessageKey key, MailboxConfig mailbox, Spool raw, ParsedMail mail,
            MessageFacts facts, PollSummary summary) {
        Optional<Long> same = ledger.ticketOfSameMessage(tx, mailbox.id(), mail.messageId(), mail.fingerprint());
        if (same.isPresent()) {
            ledger.record(tx, key, facts, new Decision.Duplicate(same.get()));
            summary.countDuplicate();
            log.info("UID {} is the same message as ticket #{}; no second ticket", key.uid(), same.get());
            return;
        }
        Verdict verdict = classifier.classify(mail, raw.size(), mailbox);
        if (verdict.refused()) {
            refuse(tx, key, facts, verdict, Optional.of(raw), summary);
            return;
        }
        Optional<Long> thread = new ThreadMatcher(ticketsConfig.get()).match(mail, contents.lookup(tx));
        if (thread.isPresent()) {
            long followup = tickets.addFollowup(tx, thread.get(), mailbox.id(), contents.of(mail, mailbox));
            ledger.record(tx, key, facts, new Decision.Followup(thread.get(), followup));
            events.append(tx, EventType.FOLLOWUP_ADDED, mailbox.id(), thread.get(), followup, null);
            summary.countFollowup();
            log.info("UID {} is a followup on ticket #{}", key.uid(), thread.get());
        } else {
            long number = tickets.open(tx, mailbox.id(), contents.of(mail, mailbox));
            ledger.record(tx, key, facts, new Decision.NewTicket(number));
            events.append(tx, EventType.TICKET_CREATED, mailbox.id(), number, null, null);
            summary.countTicket();
            log.info("UID {} became ticket #{}", key.uid(), number);
        }
    }

    private void refuse(Transaction tx, MessageKey key, MessageFacts facts, Verdict verdict, Optional<Spool> raw,
            PollSummary summary) {
        RefusalReason reason = verdict.reason().orElseThrow();
        ledger.record(tx, key, facts, new Decision.Refused(reason, verdict.detail(), raw));
        events.append(tx, EventType.MESSAGE_REFUSED, key.mailboxId(), null, null, reason.name());
        summary.countRefused(reason.name());
        log.info("UID {} refused: {} ({})", key.uid(), reason, verdict.detail());
    }
}
