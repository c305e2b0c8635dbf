package dev.intake.app.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.config.ConfigLoader;
import dev.intake.config.IntakeConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * The run history on H2 and on PostgreSQL keeps {@code operations.history-retention} (30 days by default) of runs:
 * older ones go, in chunks, whatever their outcome; newer ones and other mailboxes' newer ones stay.
 */
class RunHistoryRetentionTest {

    StoreTestBed bed;
    PollRunStore runs;
    RunHistoryRetention retention;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        this.runs = new PollRunStore(bed.jdbi(), bed.clock());
        IntakeConfig defaults = new ConfigLoader(name -> null).defaults().config();
        this.retention = new RunHistoryRetention(() -> defaults, runs, bed.clock());
    }

    @OnEachDatabase
    void runsOlderThanTheRetentionAreDeletedAndTheRestKept() {
        long finished = runs.start("support", "node-a");
        runs.finish(finished, new PollSummary(), "ok", Optional.empty());
        runs.start("support", "node-a"); // never finished: its node died
        runs.start("sales", "node-b");
        bed.clock().advance(Duration.ofDays(20));
        long recent = runs.start("support", "node-a");
        long recentSales = runs.start("sales", "node-a");
        bed.clock().advance(Duration.ofDays(10).plusSeconds(1));

        assertThat(retention.expire()).isEqualTo(3);

        assertThat(runs.recent("support", 100)).extracting(PollRun::id).containsExactly(recent);
        assertThat(runs.recent("sales", 100)).extracting(PollRun::id).containsExactly(recentSales);
        assertThat(retention.expire()).as("nothing more until they age").isZero();
    }

    @OnEachDatabase
    void aLongHistoryIsDeletedChunkByChunkToTheEnd() {
        for (int i = 0; i < 7; i++) {
            runs.start("support", "node-a");
        }
        bed.clock().advance(Duration.ofDays(1));
        long kept = runs.start("support", "node-a");

        assertThat(runs.deleteStartedBefore(bed.clock().instant().minusSeconds(1), 3)).isEqualTo(7);

        assertThat(runs.recent("support", 100)).extracting(PollRun::id).containsExactly(kept);
    }
}
