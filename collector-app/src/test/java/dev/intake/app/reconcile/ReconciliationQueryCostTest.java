package dev.intake.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.GrownDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mailbox page's last reconciliation reads that mailbox's findings, not another mailbox's thousands (a restored
 * backup can leave a mailbox with many unrecorded messages). On H2 with its own row counts ({@code EXPLAIN ANALYZE}),
 * as in {@code LedgerQueryCostTest}. {@code unrecordedCounts} reads every finding by design (it counts them all).
 */
class ReconciliationQueryCostTest {

    static final int FINDINGS = 5_000;
    static final long FEW = 10;

    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> bed.jdbi().useHandle(h -> {
        h.execute("INSERT INTO reconciliation (mailbox_id, checked_at, received_since, messages_checked, unrecorded) "
                + "SELECT M, ?, ?, 100, 0 FROM (VALUES ('support'), ('restored')) V(M)", bed.clock().instant(),
                bed.clock().instant());
        h.execute("INSERT INTO unrecorded_message (mailbox_id, folder, uid_validity, uid, size_bytes, found_at) SELECT "
                + "CASE WHEN X <= 3 THEN 'support' ELSE 'restored' END, 'Done', 1, X, 100, ? FROM SYSTEM_RANGE(1, ?)",
                bed.clock().instant(), FINDINGS);
    }));

    ReconciliationStore store;

    @BeforeEach
    void open() {
        store = new ReconciliationStore(db.bed().jdbi());
    }

    /** Every view of a mailbox's page. */
    @Test
    void aMailboxPageReadsItsOwnFindings() {
        assertThat(store.last("support")).get().extracting(r -> r.unrecorded().size()).isEqualTo(3);
        db.assertEachQueryReadAtMost(FEW);
    }
}
