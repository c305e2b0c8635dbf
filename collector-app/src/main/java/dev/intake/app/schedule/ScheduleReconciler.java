package dev.intake.app.schedule;

import dev.intake.app.oauth.AuthorizationEvents;
import dev.intake.app.store.MailboxRecord;
import dev.intake.app.store.MailboxState;
import dev.intake.app.store.MailboxStore;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the schedule equal to what should be collected: a job for exactly the mailboxes that are configured, not
 * paused (in the configuration or by an admin) and authorized. Reconciled when an authorization changes, when the
 * configuration changes, when an admin pauses or resumes, and every minute: nodes reconcile on their own events, and
 * one node's reconciliation can race another's authorization and drop its new job, which the next minute restores.
 * Without a scheduler (one-shot commands) there is nothing to reconcile.
 */
public final class ScheduleReconciler implements AuthorizationEvents, AutoCloseable {

    static final Duration EVERY = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(ScheduleReconciler.class);

    private final Supplier<IntakeConfig> config;
    private final MailboxStore mailboxes;
    private volatile Optional<CollectionScheduler> scheduler = Optional.empty();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "intake-schedule");
        t.setDaemon(true);
        return t;
    });

    public ScheduleReconciler(Supplier<IntakeConfig> config, MailboxStore mailboxes) {
        this.config = config;
        this.mailboxes = mailboxes;
    }

    /** From now on the schedule is kept in step: at once, and every minute. */
    @SuppressWarnings("FutureReturnValueIgnored") // the task catches its own failures, and close() cancels it
    public void start(CollectionScheduler started) {
        this.scheduler = Optional.of(started);
        reconcile();
        timer.scheduleWithFixedDelay(() -> {
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("Reconciling the schedule failed: {}; trying again in a minute", e.getMessage());
            }
        }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void reconcile() {
        scheduler.ifPresent(s -> s.sync(wanted()));
    }

    @Override
    public void authorizationChanged(String mailboxId) {
        reconcile();
    }

    /** The mailboxes that have a job on this node's scheduler now. */
    public Set<String> scheduledMailboxes() {
        return scheduler.map(CollectionScheduler::scheduledMailboxes).orElse(Set.of());
    }

    private Map<String, Duration> wanted() {
        Map<String, Duration> wanted = new LinkedHashMap<>();
        for (MailboxConfig m : config.get().mailboxes()) {
            if (!m.paused() && mailboxes.find(m.id()).map(ScheduleReconciler::collected).orElse(false)) {
                wanted.put(m.id(), m.scheduledEvery());
            }
        }
        return wanted;
    }

    private static boolean collected(MailboxRecord r) {
        return r.state() == MailboxState.ACTIVE && !r.pausedByAdmin();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
