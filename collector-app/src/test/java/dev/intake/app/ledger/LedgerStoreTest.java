package dev.intake.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.intake.app.mail.RefusalReason;
import dev.intake.app.spool.Spool;
import dev.intake.app.spool.SpoolWriter;
import dev.intake.app.store.Transactions;
import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.app.support.database.TestTickets;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketStore;
import dev.intake.app.ticket.TicketSummary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;

/**
 * The collection ledger on H2 and on PostgreSQL: folder progress, one record per message committed or rolled back
 * with its ticket, pending post-actions, Import anyway, and the lookups collection and reconciliation make.
 */
class LedgerStoreTest {

    static final String MAILBOX = "support";
    static final String INBOX = "INBOX";

    StoreTestBed bed;
    LedgerStore ledger;
    TicketStore tickets;
    Transactions transactions;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        ledger = new LedgerStore(bed.jdbi(), bed.clock());
        tickets = new TicketStore(bed.jdbi(), bed.clock());
        transactions = bed.transactions();
    }

    // ---- folder progress -------------------------------------------------------------------------------------

    @OnEachDatabase
    void aFolderStartsAdvancesWithRecordsAndSkipsAndEndsItsBacklog() {
        assertThat(ledger.folderState(MAILBOX, INBOX)).isEmpty();
        ledger.resetFolder(MAILBOX, INBOX, new FolderState(7, 10, Optional.of(20L)));
        assertThat(ledger.folderState(MAILBOX, INBOX)).contains(new FolderState(7, 10, Optional.of(20L)));

        ticketed(key(7, 12), "twelve");
        ledger.skip(key(7, 11));
        assertThat(ledger.folderState(MAILBOX, INBOX).orElseThrow().lastUid()).as("never backwards").isEqualTo(12);
        ledger.skip(key(6, 99));
        assertThat(ledger.folderState(MAILBOX, INBOX).orElseThrow().lastUid()).as("another UIDVALIDITY moves nothing")
                .isEqualTo(12);

        ledger.endBacklog(MAILBOX, INBOX);
        assertThat(ledger.folderState(MAILBOX, INBOX)).contains(new FolderState(7, 20, Optional.empty()));
        ledger.endBacklog(MAILBOX, INBOX);
        assertThat(ledger.folderState(MAILBOX, INBOX)).as("ending it again changes nothing")
                .contains(new FolderState(7, 20, Optional.empty()));

        ledger.resetFolder(MAILBOX, INBOX, new FolderState(8, 0, Optional.empty()));
        assertThat(ledger.folderState(MAILBOX, INBOX)).as("a new UIDVALIDITY starts over")
                .contains(new FolderState(8, 0, Optional.empty()));
        assertThat(ledger.folderState(MAILBOX, "Other")).isEmpty();
        assertThat(ledger.folderState("another-mailbox", INBOX)).isEmpty();
    }

    // ---- a record and its ticket, in one transaction ------------------------------------------------------------

    @OnEachDatabase
    void aRecordAndItsTicketCommitTogether() {
        ledger.resetFolder(MAILBOX, INBOX, new FolderState(7, 0, Optional.empty()));

        long ticket = ticketed(key(7, 1), "Printer on fire");

        assertThat(tickets.find(ticket)).hasValueSatisfying(t -> assertThat(t.subject()).isEqualTo("Printer on fire"));
        assertThat(isRecorded(key(7, 1))).isTrue();
        assertThat(ledger.processed(MAILBOX, Optional.empty(), 10)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.TICKET);
            assertThat(r.ticketId()).contains(ticket);
            assertThat(r.postActionPending()).isTrue();
            assertThat(r.processedAt()).isEqualTo(StoreTestBed.START);
        });
        assertThat(ledger.folderState(MAILBOX, INBOX).orElseThrow().lastUid()).isEqualTo(1);
    }

    @OnEachDatabase
    void aRecordAndItsTicketRollBackTogether() {
        ledger.resetFolder(MAILBOX, INBOX, new FolderState(7, 0, Optional.empty()));

        assertThatThrownBy(() -> transactions.inTransaction(tx -> {
            long ticket = tickets.open(tx, MAILBOX, TestTickets.content("Lost in a crash"));
            ledger.record(tx, key(7, 1), facts("<lost@example.org>", "Lost in a crash"), new Decision.NewTicket(ticket));
            throw new IllegalStateException("the batch failed after its writes");
        })).hasMessage("the batch failed after its writes");

        assertThat(tickets.count(TicketQuery.firstPage(10))).isZero();
        assertThat(isRecorded(key(7, 1))).as("taken again next run").isFalse();
        assertThat(ledger.folderState(MAILBOX, INBOX).orElseThrow().lastUid()).as("progress rolls back too").isZero();
    }

    @OnEachDatabase
    void aMessageTheDatabaseRefusesIsUndoneAloneAndTheBatchCommits() {
        ledger.resetFolder(MAILBOX, INBOX, new FolderState(7, 0, Optional.empty()));
        List<String> failures = new ArrayList<>();

        transactions.inTransaction(tx -> {
            for (long uid = 1; uid <= 3; uid++) {
                long n = uid;
                try {
                    tx.undoingOnFailure(() -> {
                        long ticket = tickets.open(tx, MAILBOX, TestTickets.content("Message " + n));
                        // the second message's record collides with the first one's, as a write the database refuses
                        MessageKey key = n == 2 ? key(7, 1) : key(7, n);
                        ledger.record(tx, key, facts("<m" + n + "@example.org>", "Message " + n), new Decision.NewTicket(ticket));
                    });
                } catch (RuntimeException e) {
                    failures.add("message " + n);
                }
            }
            return null;
        });

        assertThat(failures).containsExactly("message 2");
        assertThat(tickets.list(TicketQuery.firstPage(10))).extracting(TicketSummary::subject)
                .as("the refused message's ticket is undone with it; on PostgreSQL the rest of the batch goes on")
                .containsExactly("Message 3", "Message 1");
        assertThat(ledger.processed(MAILBOX, Optional.empty(), 10)).extracting(r -> r.key().uid()).containsExactly(3L, 1L);
        assertThat(ledger.folderState(MAILBOX, INBOX).orElseThrow().lastUid()).isEqualTo(3);
    }

    // ---- what collection asks while it decides ------------------------------------------------------------------

    @OnEachDatabase
    void theTicketOfTheSameMessageIsFoundByMessageIdElseByFingerprintInTheSameMailboxOnly() {
        long byId = ticketed(key(7, 1), facts("<same@example.org>", "By id"));
        long byBytes = ticketed(key(7, 2), new MessageFacts(Optional.empty(), Optional.of(fingerprint('b')), "No id", "a@example.org"));
        refused(key(7, 3), facts("<refused@example.org>", "Newsletter"), null);

        transactions.inTransaction(tx -> {
            assertThat(ledger.ticketOfSameMessage(tx, MAILBOX, Optional.of("<same@example.org>"), fingerprint('x'))).contains(byId);
            assertThat(ledger.ticketOfSameMessage(tx, MAILBOX, Optional.empty(), fingerprint('b'))).contains(byBytes);
            assertThat(ledger.ticketOfSameMessage(tx, MAILBOX, Optional.of("<unknown@example.org>"), fingerprint('b')))
                    .as("an unknown Message-ID falls back to the bytes").contains(byBytes);
            assertThat(ledger.ticketOfSameMessage(tx, MAILBOX, Optional.of("<refused@example.org>"), fingerprint('z')))
                    .as("a refusal made no ticket").isEmpty();
            assertThat(ledger.ticketOfSameMessage(tx, "another-mailbox", Optional.of("<same@example.org>"), fingerprint('b')))
                    .isEmpty();
            assertThat(ledger.ticketByMessageId(tx, "<same@example.org>")).contains(byId);
            assertThat(ledger.ticketByMessageId(tx, "<refused@example.org>")).isEmpty();
            assertThat(ledger.recordedUids(tx, MAILBOX, key(7, 3).folder(), 7, List.of(3L, 4L, 9L))).containsExactly(3L);
            assertThat(ledger.recordedUids(tx, MAILBOX, key(8, 3).folder(), 8, List.of(3L)))
                    .as("same UID, another UIDVALIDITY").isEmpty();
            assertThat(ledger.recordedUids(tx, MAILBOX, key(7, 3).folder(), 7, List.of())).isEmpty();
            return null;
        });
    }

    @OnEachDatabase
    void aFollowupAndADuplicateAreRecordedWithTheTicketTheyJoined() {
        long ticket = ticketed(key(7, 1), "Question");
        transactions.inTransaction(tx -> {
            long followup = tickets.addFollowup(tx, ticket, MAILBOX, TestTickets.content("Re: Question"));
            ledger.record(tx, key(7, 2), facts("<re@example.org>", "Re: Question"), new Decision.Followup(ticket, followup));
            ledger.record(tx, key(7, 3), facts("<re@example.org>", "Re: Question"), new Decision.Duplicate(ticket));
            return null;
        });

        assertThat(ledger.processed(MAILBOX, Optional.empty(), 10))
                .extracting(ProcessedMessage::outcome, ProcessedMessage::ticketId, ProcessedMessage::detail)
                .containsExactly(
                        tuple(Outcome.DUPLICATE, Optional.of(ticket), Optional.of("same message as ticket #" + ticket)),
                        tuple(Outcome.FOLLOWUP, Optional.of(ticket), Optional.empty()),
                        tuple(Outcome.TICKET, Optional.of(ticket), Optional.empty()));
    }

    // ---- post-actions ---------------------------------------------------------------------------------------------

    @OnEachDatabase
    void postActionsStayPendingUntilTheyAreDone() {
        ticketed(key(7, 3), "three");
        ticketed(key(7, 1), "one");
        refused(key(7, 2), facts("<two@example.org>", "two"), null);
        ticketed(new MessageKey(MAILBOX, "Other", 7, 4), "other folder");
        ticketed(key(8, 5), "old UIDVALIDITY");

        List<ProcessedMessage> pending = ledger.pendingPostActions(MAILBOX, INBOX, 7);
        assertThat(pending).extracting(r -> r.key().uid()).containsExactly(1L, 2L, 3L);

        ledger.postActionsDone(List.of(pending.get(0).id(), pending.get(2).id()));
        ledger.postActionsDone(List.of());

        assertThat(ledger.pendingPostActions(MAILBOX, INBOX, 7)).extracting(r -> r.key().uid()).containsExactly(2L);
        assertThat(ledger.pendingPostActions(MAILBOX, "Other", 7)).hasSize(1);
        assertThat(ledger.pendingPostActions(MAILBOX, INBOX, 8)).hasSize(1);
    }

    // ---- Import anyway --------------------------------------------------------------------------------------------

    @OnEachDatabase
    void aRefusalKeepsItsOriginalUntilItIsImportedOnce() {
        byte[] raw = "Subject: Newsletter\r\n\r\nbuy now\r\n".getBytes(StandardCharsets.UTF_8);
        long record = refused(key(7, 1), facts("<news@example.org>", "Newsletter"), raw);

        assertThat(ledger.refusedOriginal(record)).hasValueSatisfying(r -> {
            assertThat(r.original()).hasValue(raw);
            assertThat(r.record().reason()).contains(RefusalReason.BULK);
            assertThat(r.record().detail()).contains("List-Unsubscribe");
            assertThat(r.record().rawKept()).isTrue();
        });

        boolean imported = transactions.inTransaction(tx -> {
            long ticket = tickets.open(tx, MAILBOX, TestTickets.content("Newsletter"));
            return ledger.markImported(tx, record, ticket, "ann");
        });

        assertThat(imported).isTrue();
        ProcessedMessage now = ledger.refusedOriginal(record).orElseThrow().record();
        assertThat(now.outcome()).isEqualTo(Outcome.TICKET);
        assertThat(now.ticketId()).isPresent();
        assertThat(now.rawKept()).isFalse();
        assertThat(now.detail()).contains("Imported by ann after it was refused (BULK: List-Unsubscribe)");
        assertThat(ledger.refusedOriginal(record).orElseThrow().original()).isEmpty();

        assertThat(markImported(record, now.ticketId().orElseThrow(), "bob"))
                .as("a second import finds no refusal").isFalse();
        assertThat(markImported(424242, 1, "bob")).isFalse();
        assertThat(ledger.refusedOriginal(424242)).isEmpty();
    }

    @OnEachDatabase
    void aLargeOriginalStreamsInFromItsTemporaryFile() throws Exception {
        byte[] raw = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(raw);
        try (SpoolWriter writer = new SpoolWriter(64 * 1024)) {
            writer.write(raw);
            try (Spool spool = writer.finish()) {
                assertThat(spool.inMemory()).isFalse();
                transactions.inTransaction(tx -> {
                    ledger.record(tx, key(7, 1), facts("<big@example.org>", "Big"),
                            new Decision.Refused(RefusalReason.OVERSIZE, "too large", Optional.of(spool)));
                    return null;
                });
            }
        }

        assertThat(ledger.processed(MAILBOX, Optional.of(Outcome.REFUSED), 1)).singleElement()
                .satisfies(r -> assertThat(ledger.refusedOriginal(r.id()).orElseThrow().original()).hasValue(raw));
    }

    // ---- what the admin and the reconciliation read -------------------------------------------------------------

    @OnEachDatabase
    void processedIsNewestFirstFilteredAndLimitedAndTheOutcomesAreCounted() {
        ticketed(key(7, 1), "one");
        bed.clock().advance(Duration.ofMinutes(1));
        refused(key(7, 2), facts("<two@example.org>", "two"), null);
        bed.clock().advance(Duration.ofMinutes(1));
        ticketed(key(7, 3), "three");
        refused(key(7, 4), facts("<four@example.org>", "four"), null);
        ticketed(new MessageKey("another-mailbox", INBOX, 7, 1), "elsewhere");

        assertThat(ledger.processed(MAILBOX, Optional.empty(), 2)).extracting(ProcessedMessage::subject)
                .containsExactly("four", "three");
        assertThat(ledger.processed(MAILBOX, Optional.of(Outcome.REFUSED), 10)).extracting(ProcessedMessage::subject)
                .containsExactly("four", "two");
        assertThat(ledger.processed(MAILBOX, Optional.of(Outcome.REFUSED), 10).get(1).processedAt())
                .isEqualTo(StoreTestBed.START.plus(Duration.ofMinutes(1)));
        assertThat(ledger.outcomeCounts(MAILBOX)).containsOnly(Map.entry(Outcome.TICKET, 2), Map.entry(Outcome.REFUSED, 2));
        assertThat(ledger.outcomeCounts("nobody")).isEmpty();
    }

    @OnEachDatabase
    void recordedMessageIdsAndFingerprintsAreLookedUpInChunks() {
        refused(key(7, 1), facts("<a@example.org>", "a"), null);
        ticketed(key(7, 2), new MessageFacts(Optional.of("<b@example.org>"), Optional.of(fingerprint('b')), "b", "x@example.org"));
        ticketed(new MessageKey("another-mailbox", INBOX, 7, 1), facts("<c@example.org>", "c"));

        // more than one chunk of 500, the known ones at the end and one of them twice
        List<String> asked = new ArrayList<>(IntStream.range(0, 1200).mapToObj(i -> "<unknown-" + i + "@example.org>").toList());
        asked.addAll(List.of("<a@example.org>", "<b@example.org>", "<c@example.org>", "<a@example.org>"));

        assertThat(ledger.recordedMessageIds(MAILBOX, asked)).containsExactlyInAnyOrder("<a@example.org>", "<b@example.org>");
        assertThat(ledger.recordedMessageIdsInAnyMailbox(asked))
                .containsExactlyInAnyOrder("<a@example.org>", "<b@example.org>", "<c@example.org>");
        assertThat(ledger.recordedFingerprints(MAILBOX, List.of(fingerprint('b'), fingerprint('q')))).containsExactly(fingerprint('b'));
        assertThat(ledger.recordedMessageIds(MAILBOX, List.of())).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    static MessageKey key(long uidValidity, long uid) {
        return new MessageKey(MAILBOX, INBOX, uidValidity, uid);
    }

    static MessageFacts facts(String messageId, String subject) {
        return new MessageFacts(Optional.of(messageId), Optional.of(fingerprint(subject.isEmpty() ? '0' : subject.charAt(0))),
                subject, "alice@example.org");
    }

    /** A value shaped like a SHA-256 in hex. */
    static String fingerprint(char c) {
        return String.valueOf(c).repeat(64);
    }

    private boolean isRecorded(MessageKey key) {
        return transactions.<Boolean, RuntimeException>inTransaction(tx -> ledger.recordedUids(tx, key.mailboxId(),
                key.folder(), key.uidValidity(), List.of(key.uid())).contains(key.uid()));
    }

    private boolean markImported(long record, long ticket, String by) {
        return transactions.<Boolean, RuntimeException>inTransaction(tx -> ledger.markImported(tx, record, ticket, by));
    }

    private long ticketed(MessageKey key, String subject) {
        return ticketed(key, facts("<" + key.mailboxId() + "-" + key.folder() + "-" + key.uidValidity() + "-" + key.uid()
                + "@example.org>", subject));
    }

    private long ticketed(MessageKey key, MessageFacts facts) {
        return transactions.inTransaction(tx -> {
            long ticket = tickets.open(tx, key.mailboxId(), TestTickets.content(facts.subject()));
            ledger.record(tx, key, facts, new Decision.NewTicket(ticket));
            return ticket;
        });
    }

    /** @return the record's id */
    private long refused(MessageKey key, MessageFacts facts, byte[] original) {
        transactions.inTransaction(tx -> {
            ledger.record(tx, key, facts, new Decision.Refused(RefusalReason.BULK, "List-Unsubscribe",
                    Optional.ofNullable(original).map(Spool::of)));
            return null;
        });
        return ledger.processed(key.mailboxId(), Optional.of(Outcome.REFUSED), 1).get(0).id();
    }
}
