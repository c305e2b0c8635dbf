package dev.intake.app.support.database;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A query cost test's database: before each test a fresh H2 {@link StoreTestBed} filled with the history the test
 * gives (months of Intake's use, written with bulk SQL), its statistics gathered, and {@link ScanCounts} counting the
 * rows each query reads from then on; closed after the test. Registered on a field,
 * {@code @RegisterExtension final GrownDatabase db = new GrownDatabase(bed -> ...)}, it is ready before the class's
 * own {@code @BeforeEach} methods, which build their stores from {@link #bed()}. H2 only: {@code EXPLAIN ANALYZE},
 * which {@link ScanCounts} counts with, is H2's, and so is the index choice these tests hold the stores to.
 */
public final class GrownDatabase implements BeforeEachCallback, AfterEachCallback {

    private final Consumer<StoreTestBed> history;
    private StoreTestBed bed;
    private ScanCounts scans;

    /** {@code history} writes the test's rows into the bed, before the statistics are gathered. */
    public GrownDatabase(Consumer<StoreTestBed> history) {
        this.history = history;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        bed = StoreTestBed.open(DatabaseKind.H2);
        history.accept(bed);
        // The statistics H2 keeps of a table that has grown (it gathers them itself every 2,000 changed rows): with
        // them, a column with two values, like post_action_pending, looks as unselective as it is.
        bed.jdbi().useHandle(h -> h.execute("ANALYZE"));
        scans = ScanCounts.on(bed.jdbi());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (bed != null) {
            bed.close();
            bed = null;
            scans = null;
        }
    }

    /** The test's bed, filled with its history. */
    public StoreTestBed bed() {
        return bed;
    }

    /** {@link ScanCounts#assertEachReadAtMost}: the queries run since the last check each read at most {@code rows}. */
    public void assertEachQueryReadAtMost(long rows) {
        scans.assertEachReadAtMost(rows);
    }
}
