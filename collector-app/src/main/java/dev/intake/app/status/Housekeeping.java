package dev.intake.app.status;

import dev.intake.app.collect.RunHistoryRetention;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warnings an operator must not miss, repeated in the log while they hold: a stale mailbox (no successful collection
 * for longer than {@code operations.stale-after}) every check, and an expiring provider secret once a day. Each check
 * also deletes the run records older than {@code operations.history-retention}.
 */
public final class Housekeeping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final MailboxStatuses mailboxes;
    private final ProviderStatuses providers;
    private final RunHistoryRetention history;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "intake-housekeeping");
        t.setDaemon(true);
        return t;
    });

    public Housekeeping(MailboxStatuses mailboxes, ProviderStatuses providers, RunHistoryRetention history) {
        this.mailboxes = mailboxes;
        this.providers = providers;
        this.history = history;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // check() catches its own failures, and close() cancels the task
    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::check, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void check() {
        try {
            providers.logWarnings();
            for (MailboxStatus s : mailboxes.all()) {
                if (s.stale()) {
                    log.warn("Mailbox '{}' is stale: no successful collection since {}{}", s.id(),
                            s.lastSuccessAt().map(Object::toString).orElse("it was authorized"),
                            s.lastError().map(e -> ". Last error: " + e).orElse(""));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Housekeeping check failed: {}", e.getMessage());
        }
        try {
            history.expire();
        } catch (RuntimeException e) {
            // The warnings above must not depend on it; the next check tries again.
            log.warn("Could not delete the old collection run records: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
