package dev.intake.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.DatabaseKind;
import dev.intake.app.support.database.ScanCounts;
import dev.intake.app.support.database.StoreTestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mailbox page's last reconciliation reads that mailbox's findings, not another mailbox's thousands (a restored
 * backup can leave a mailbox with many unrecorded messages). On H2 with its own row counts ({@code EXPLAIN ANALYZE}),
 * as in {@code LedgerQueryCostTest}. {@code unrecordedCounts} reads every finding by design (it counts them all).
 */
class ReconciliationQueryCostTest {

    static final int FINDINGS = 5_000;
    static final long FEW = 10;

    StoreTestBed bed;
    ReconciliationStore store;
    ScanCounts scans;

    @BeforeEach
    void open() {
        bed = StoreTestBed.open(DatabaseKind.H2);
        store = new ReconciliationStore(bed.jdbi());
        bed.jdbi().useHandle(h -> {
            h.execute("INSERT INTO reconciliation (mailbox_id, checked_at, received_since, messages_checked, unrecorded) "
                    + "SELECT M, ?, ?, 100, 0 FROM (VALUES ('support'), ('restored')) V(M)", bed.clock().instant(),
                    bed.clock().instant());
            h.execute("INSERT INTO unrecorded_message (mailbox_id, folder, uid_validity, uid, size_bytes, found_at) SELECT "
                    + "CASE WHEN X <= 3 THEN 'support' ELSE 'restored' END, 'Done', 1, X, 100, ? FROM SYSTEM_RANGE(1, ?)",
                    bed.clock().instant(), FINDINGS);
            h.execute("ANALYZE");
        });
        scans = ScanCounts.on(bed.jdbi());
    }

    @AfterEach
    void close() {
        bed.close();
    }

    /** Every view of a mailbox's page. */
    @Test
    void aMailboxPageReadsItsOwnFindings() {
        assertThat(store.last("support")).get().extracting(r -> r.unrecorded().size()).isEqualTo(3);
        scans.assertEachReadAtMost(FEW);
    }
}
