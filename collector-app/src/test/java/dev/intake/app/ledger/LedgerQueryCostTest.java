package dev.intake.app.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.store.Transactions;
import dev.intake.app.support.database.GrownDatabase;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What collection asks the ledger per message, per batch and per run costs the same after months of mail as on the
 * first day: on a folder with thousands of records, each question reads a handful of rows through an index, never
 * every record of the mailbox. On H2, whose planner picks the index (PostgreSQL's weighs statistics instead); the
 * counts are H2's own ({@code EXPLAIN ANALYZE}), not timings.
 */
class LedgerQueryCostTest {

    static final String MAILBOX = "support";
    static final String INBOX = "INBOX";
    static final long UID_VALIDITY = 7;
    static final int HISTORY = 5_000;
    /** Rows a cheap question may read: its answers, an index boundary or two. */
    static final long FEW = 60;

    // Months of one folder: every message ticketed, its post-action done, but the last three still pending.
    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> bed.jdbi().useHandle(h -> h.execute("INSERT INTO "
            + "processed_message (mailbox_id, folder, uid_validity, uid, message_id, fingerprint, outcome, subject, "
            + "sender, ticket_id, post_action_pending, processed_at) SELECT ?, ?, ?, X, '<' || X || '@example.org>', "
            + "LPAD(CAST(X AS VARCHAR), 64, '0'), 'TICKET', 'Subject ' || X, 'a@example.org', X, X > ?, "
            + "CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, ?)", MAILBOX, INBOX, UID_VALIDITY, HISTORY - 3, HISTORY)));

    LedgerStore ledger;
    Transactions transactions;

    @BeforeEach
    void open() {
        ledger = new LedgerStore(db.bed().jdbi(), db.bed().clock());
        transactions = db.bed().transactions();
    }

    @Test
    void aRunFindsItsPendingPostActionsWithoutReadingTheFolder() {
        assertThat(ledger.pendingPostActions(MAILBOX, INBOX, UID_VALIDITY)).extracting(r -> r.key().uid())
                .containsExactly(HISTORY - 2L, HISTORY - 1L, (long) HISTORY);

        db.assertEachQueryReadAtMost(FEW);
    }

    @Test
    void aBatchFindsWhichOfItsUidsAreRecordedWithoutReadingTheFolder() {
        List<Long> batch = LongStream.rangeClosed(HISTORY - 9, HISTORY + 40).boxed().toList();

        Set<Long> recorded = transactions.inTransaction(tx -> ledger.recordedUids(tx, MAILBOX, INBOX, UID_VALIDITY, batch));

        assertThat(recorded).hasSize(10).allSatisfy(uid -> assertThat(uid).isBetween(HISTORY - 9L, (long) HISTORY));

        db.assertEachQueryReadAtMost(FEW);
    }

    @Test
    void aMessageIsMatchedToItsTicketByMessageIdAndByContentCheaply() {
        transactions.inTransaction(tx -> {
            assertThat(ledger.ticketOfSameMessage(tx, MAILBOX, Optional.of("<4000@example.org>"), "f".repeat(64)))
                    .contains(4000L);
            assertThat(ledger.ticketOfSameMessage(tx, MAILBOX, Optional.of("<new@example.org>"), "0".repeat(60) + "4001"))
                    .contains(4001L);
            assertThat(ledger.ticketByMessageId(tx, "<4002@example.org>")).contains(4002L);
            return null;
        });

        db.assertEachQueryReadAtMost(FEW);
    }

    /** Reconciliation's question at every start and every day, for every message still on the server. */
    @Test
    void reconciliationFindsWhichMessagesAreRecordedCheaply() {
        List<String> onServer = LongStream.rangeClosed(HISTORY - 19, HISTORY + 20).mapToObj(n -> "<" + n + "@example.org>")
                .toList();

        assertThat(ledger.recordedMessageIds(MAILBOX, onServer)).hasSize(20);
        assertThat(ledger.recordedMessageIdsInAnyMailbox(onServer)).hasSize(20);
        assertThat(ledger.recordedFingerprints(MAILBOX, List.of("0".repeat(60) + "4001", "f".repeat(64)))).hasSize(1);
        db.assertEachQueryReadAtMost(FEW);
    }
}
