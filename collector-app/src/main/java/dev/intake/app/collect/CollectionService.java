package dev.intake.app.collect;

import dev.intake.app.imap.ImapException;
import dev.intake.app.oauth.NotAuthorizedException;
import dev.intake.app.schedule.MailboxRunner;
import dev.intake.app.schedule.NodeIdentity;
import dev.intake.app.store.MailboxRecord;
import dev.intake.app.store.MailboxState;
import dev.intake.app.store.MailboxStore;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.provider.ProviderException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs collections and keeps their record: which mailboxes may run now, the run log, success and failure on the
 * mailbox (last success, last error in plain words, consecutive failures), and backoff while failing.
 */
public final class CollectionService implements MailboxRunner {

    private static final Logger log = LoggerFactory.getLogger(CollectionService.class);

    private final Supplier<IntakeConfig> config;
    private final MailboxStore mailboxes;
    private final MailboxCollector collector;
    private final PollRunStore runs;
    private final NodeIdentity node;
    private final Clock clock;
    private final RunLockStore locks;
    private final PollObserver observer;
    private final RecoveryGate recovery;

    public CollectionService(Supplier<IntakeConfig> config, MailboxStore mailboxes, MailboxCollector collector,
            PollRunStore runs, RunLockStore locks, NodeIdentity node, Clock clock, PollObserver observer,
            RecoveryGate recovery) {
        this.config = config;
        this.mailboxes = mailboxes;
        this.collector = collector;
        this.runs = runs;
        this.node = node;
        this.clock = clock;
        this.locks = locks;
        this.observer = observer;
        this.recovery = recovery;
    }

    @Override
    public void run(String mailboxId, boolean forced, BooleanSupplier stopRequested) {
        Optional<MailboxConfig> mailbox = collectable(mailboxId);
        Optional<MailboxRecord> record = mailboxes.find(mailboxId);
        if (mailbox.isEmpty() || record.isEmpty()) {
            return;
        }
        Optional<Instant> next = record.get().nextAttemptAt();
        if (!forced && next.isPresent() && next.get().isAfter(clock.instant())) {
            log.debug("Backing off until {} after {} failure(s)", next.get(), record.get().consecutiveFailures());
            return;
        }
        if (recovery.holds(mailboxId)) {
            // Only for the seconds the first recovery attempt takes; it asks for a run when it is done.
            if (forced) {
                log.info("Poll now waits: the recovery after the unclean shutdown is putting lost mail back first");
            }
            return;
        }
        Optional<RunLockStore.Held> lock = locks.tryAcquire(mailboxId);
        if (lock.isEmpty()) {
            log.debug("Another run (Poll now, or a command on another node) is collecting this mailbox; skipping this one");
            return;
        }
        try (RunLockStore.Held held = lock.get()) {
            collect(mailbox.get(), stopRequested);
        } catch (CollectionFailedException e) {
            // Recorded on the mailbox and in the run log; the schedule goes on (with backoff).
        }
    }

    /**
     * A run because the server announced new mail (IMAP IDLE): like a scheduled run, with its run lock, but it waits
     * for a run in progress to finish rather than skipping (that run may have listed the folder before the new mail
     * arrived), and it ignores backoff, since the server has just answered. Returns false when the mailbox may not be
     * collected now (paused, not authorized) or another run held it for longer than {@code lockWait}; failures are
     * recorded on the mailbox and in the run log, as for a scheduled run.
     */
    public boolean runOnNewMail(String mailboxId, java.time.Duration lockWait, BooleanSupplier stopRequested) {
        Optional<MailboxConfig> mailbox = collectable(mailboxId);
        if (mailbox.isEmpty() || recovery.holds(mailboxId)) {
            return false;
        }
        RunLockStore.Held held;
        try {
            held = locks.acquire(mailboxId, lockWait);
        } catch (IllegalStateException busy) {
            log.info("New mail announced, but {}; the run in progress or the next poll takes it", busy.getMessage());
            return false;
        }
        try (held) {
            collect(mailbox.get(), stopRequested);
            return true;
        } catch (CollectionFailedException e) {
            return true; // recorded on the mailbox and in the run log
        }
    }

    /** The ids of the configured mailboxes that may be collected now, read in one query. */
    public java.util.Set<String> collectableMailboxes() {
        java.util.Set<String> active = new java.util.HashSet<>();
        for (MailboxRecord r : mailboxes.all()) {
            if (r.state() == MailboxState.ACTIVE && !r.pausedByAdmin()) {
                active.add(r.id());
            }
        }
        java.util.Set<String> result = new java.util.LinkedHashSet<>();
        for (MailboxConfig m : config.get().mailboxes()) {
            if (!m.paused() && active.contains(m.id())) {
                result.add(m.id());
            }
        }
        return result;
    }

    /** The mailbox's configuration when it may be collected now: configured, authorized and not paused. */
    public Optional<MailboxConfig> collectable(String mailboxId) {
        Optional<MailboxConfig> mailbox = config.get().mailbox(mailboxId);
        Optional<MailboxRecord> record = mailboxes.find(mailboxId);
        if (mailbox.isEmpty() || record.isEmpty() || record.get().state() != MailboxState.ACTIVE || mailbox.get().paused()
                || record.get().pausedByAdmin()) {
            return Optional.empty();
        }
        return mailbox;
    }

    /**
     * One run now, recorded like a scheduled one; waits (up to two minutes) for a run in progress to finish first.
     *
     * @throws CollectionFailedException with a message that says what went wrong and what to do
     */
    public PollSummary poll(MailboxConfig mailbox, BooleanSupplier stopRequested) throws CollectionFailedException {
        try (RunLockStore.Held held = locks.acquire(mailbox.id(), java.time.Duration.ofMinutes(2))) {
            return collect(mailbox, stopRequested);
        }
    }

    private PollSummary collect(MailboxConfig mailbox, BooleanSupplier stopRequested) throws CollectionFailedException {
        long runId = runs.start(mailbox.id(), node.id());
        long started = System.nanoTime();
        PollSummary summary = new PollSummary();
        try {
            ProviderConfig provider = config.get().provider(mailbox.provider())
                    .orElseThrow(() -> new IllegalStateException("provider '" + mailbox.provider() + "' is not configured"));
            collector.collect(mailbox, provider, summary, stopRequested);
            mailboxes.recordSuccess(mailbox.id());
            runs.finish(runId, summary, "ok", Optional.empty());
            observer.finished(mailbox.id(), java.time.Duration.ofNanos(System.nanoTime() - started), true, summary);
            if (summary.fetched() > 0) {
                log.info("Collected: {}", summary);
            }
            return summary;
        } catch (ProviderException | ImapException | RuntimeException e) {
            String error = describe(e);
            int failures = mailboxes.find(mailbox.id()).map(MailboxRecord::consecutiveFailures).orElse(0) + 1;
            Instant nextAttempt = clock.instant().plus(Backoff.after(mailbox.pollEvery(), failures));
            mailboxes.recordFailure(mailbox.id(), error, nextAttempt);
            runs.finish(runId, summary, "failed", Optional.of(error));
            observer.finished(mailbox.id(), java.time.Duration.ofNanos(System.nanoTime() - started), false, summary);
            if (e instanceof RuntimeException && !(e instanceof NotAuthorizedException)) {
                log.error("Collection failed ({} in a row; next attempt {}): {}", failures, nextAttempt, error, e);
            } else {
                log.warn("Collection failed ({} in a row; next attempt {}): {}", failures, nextAttempt, error);
            }
            throw new CollectionFailedException(error, summary, e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof ProviderException p) {
            return p.getMessage();
        }
        if (e instanceof ImapException || e instanceof NotAuthorizedException) {
            return e.getMessage();
        }
        return "Unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + ". Nothing was lost; the messages of this run are collected again next time. The log has the details.";
    }
}
