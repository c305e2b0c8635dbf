package dev.intake.app.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.GrownDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mailbox page's recent runs cost its fifteen runs, not the month of runs the history keeps (one per mailbox per
 * poll): on thousands of runs of two mailboxes, each reads its own newest runs through an index. On H2 with its own
 * row counts ({@code EXPLAIN ANALYZE}), as in {@code LedgerQueryCostTest}.
 */
class PollRunQueryCostTest {

    static final int HISTORY = 5_000;
    static final int RECENT = 15;
    static final long FEW = RECENT + 10;

    // A poll a minute, four in five of "support" and one in five of "sales", every one finished.
    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> bed.jdbi().useHandle(h -> h.execute("INSERT INTO poll_run "
            + "(mailbox_id, node, started_at, finished_at, outcome) SELECT "
            + "CASE WHEN MOD(X, 5) = 0 THEN 'sales' ELSE 'support' END, 'node-a', "
            + "DATEADD(MINUTE, X - ?, CAST(? AS TIMESTAMP WITH TIME ZONE)), "
            + "DATEADD(MINUTE, X - ?, CAST(? AS TIMESTAMP WITH TIME ZONE)), 'OK' FROM SYSTEM_RANGE(1, ?)",
            HISTORY, bed.clock().instant(), HISTORY, bed.clock().instant().plus(Duration.ofSeconds(5)), HISTORY)));

    PollRunStore runs;

    @BeforeEach
    void open() {
        runs = new PollRunStore(db.bed().jdbi(), db.bed().clock());
    }

    /** Every view of a mailbox's page. */
    @Test
    void aMailboxPageReadsItsRecentRuns() {
        assertThat(runs.recent("support", RECENT)).hasSize(RECENT).first().extracting(PollRun::id).isEqualTo(HISTORY - 1L);
        assertThat(runs.recent("sales", RECENT)).hasSize(RECENT).first().extracting(PollRun::id).isEqualTo((long) HISTORY);
        db.assertEachQueryReadAtMost(FEW);
    }
}
