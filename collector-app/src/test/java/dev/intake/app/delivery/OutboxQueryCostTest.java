package dev.intake.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.store.Transactions;
import dev.intake.app.support.database.GrownDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery job's questions cost the same after months of delivered tickets as on the first day: on an outbox of
 * thousands of delivered items (which are kept: they map Intake's tickets to the helpdesk's), a poll for due items and
 * the lookups a followup needs read a handful of rows through an index. On H2 with its own row counts
 * ({@code EXPLAIN ANALYZE}), as in {@code LedgerQueryCostTest}.
 */
class OutboxQueryCostTest {

    static final String TARGET = "helpdesk";
    static final int HISTORY = 5_000;
    static final long FEW = 60;

    // Months of tickets delivered to the target, and the last two tickets' items still pending and due.
    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> {
        Instant past = bed.clock().instant().minus(Duration.ofDays(90));
        bed.jdbi().useHandle(h -> h.execute("INSERT INTO delivery_item (delivery_id, target, kind, shape, mailbox_id, "
                + "ticket_id, state, next_attempt_at, remote_id, created_at, finished_at) SELECT "
                + "LPAD(CAST(X AS VARCHAR), 36, '0'), ?, 'TICKET', 'item', 'support', X, "
                + "CASE WHEN X > ? THEN 'PENDING' ELSE 'DELIVERED' END, ?, "
                + "CASE WHEN X > ? THEN NULL ELSE 'glpi-' || X END, ?, ? FROM SYSTEM_RANGE(1, ?)",
                TARGET, HISTORY - 2, past, HISTORY - 2, past, past, HISTORY));
    });

    OutboxStore outbox;
    Transactions transactions;

    @BeforeEach
    void open() {
        outbox = new OutboxStore(db.bed().jdbi(), db.bed().clock());
        transactions = db.bed().transactions();
    }

    @Test
    void aPollForDueItemsReadsTheDueOnes() {
        Instant now = db.bed().clock().instant();

        List<OutboxItem> due = outbox.due(TARGET, now, now.minus(Duration.ofMinutes(5)), 50);

        assertThat(due).extracting(i -> i.ticket().orElseThrow()).containsExactly(HISTORY - 1L, (long) HISTORY);
        db.assertEachQueryReadAtMost(FEW);
    }

    @Test
    void aFollowupFindsItsTicketAtTheTargetCheaply() {
        assertThat(outbox.remoteId(TARGET, ItemKind.TICKET, 4000, Optional.empty())).contains("glpi-4000");
        assertThat(outbox.ticketItemState(TARGET, 4001)).contains(ItemState.DELIVERED);
        boolean written = transactions.inTransaction(tx -> outbox.hasTicketItem(tx, TARGET, 4002));
        assertThat(written).isTrue();

        db.assertEachQueryReadAtMost(FEW);
    }

    /** Asked by every health check and metrics scrape: only the undelivered items count. */
    @Test
    void theBacklogCountsTheUndeliveredItemsOnly() {
        Backlog backlog = outbox.backlogs().get(TARGET);

        assertThat(backlog.waiting()).isEqualTo(2);
        assertThat(backlog.dead()).isZero();
        db.assertEachQueryReadAtMost(FEW);
    }
}
