package dev.intake.app.collect;

import dev.intake.config.IntakeConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the run history to {@code operations.history-retention}: every poll of every mailbox writes a run record, so
 * without this the database of a node that runs for months grows with its uptime, not with its mail.
 */
public final class RunHistoryRetention {

    private static final Logger log = LoggerFactory.getLogger(RunHistoryRetention.class);

    private final Supplier<IntakeConfig> config;
    private final PollRunStore runs;
    private final Clock clock;

    public RunHistoryRetention(Supplier<IntakeConfig> config, PollRunStore runs, Clock clock) {
        this.config = config;
        this.runs = runs;
        this.clock = clock;
    }

    /** Deletes the runs older than the retention (read at each call, so a reload applies at the next one). */
    public int expire() {
        Instant cutoff = clock.instant().minus(config.get().operations().historyRetention());
        int deleted = runs.deleteStartedBefore(cutoff);
        if (deleted > 0) {
            log.info("Deleted {} collection run record(s) started before {} (operations.history-retention)", deleted,
                    cutoff);
        }
        return deleted;
    }
}
