package dev.intake.app.reconcile;

import dev.intake.app.collect.RecoveryGate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reconciliation of every authorized mailbox shortly after start and then once a day, on a thread of its
 * own: a check talks to IMAP servers and may take minutes, which must not hold up the other housekeeping.
 *
 * <p>After an unclean end of the last node on an H2 file, the first pass recovers instead of only reporting: it
 * re-imports what the database lost ({@link Reconciler#recover}), and is repeated every few minutes for a mailbox
 * whose server could not be reached, until each mailbox has been recovered.
 */
public final class ReconcileSchedule implements AutoCloseable {

    /** After start, so that the node's first runs are not slowed by a routine check. */
    static final Duration FIRST_CHECK_AFTER = Duration.ofSeconds(5);
    static final Duration EVERY = Duration.ofDays(1);
    static final Duration RECOVERY_RETRY = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(ReconcileSchedule.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "intake-reconcile");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param toRecover the mailboxes to recover after an unclean end (none after a clean one); their runs wait in
     *                  {@code gate} until their first recovery attempt is over
     * @param parallel  mailboxes recovered at the same time ({@code operations.scheduler-threads})
     * @param recovered called with a mailbox once a recovery attempt is over, so that it is collected at once
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the tasks catch their own failures, and close() cancels them
    public ReconcileSchedule start(Reconciler reconciler, Supplier<Set<String>> authorizedMailboxes, Set<String> toRecover,
            int parallel, RecoveryGate gate, Consumer<String> recovered) {
        boolean afterCrash = !toRecover.isEmpty();
        if (afterCrash) {
            log.warn("The last node on this database did not shut down cleanly: comparing the folders Intake moves mail "
                    + "to with its records now, and re-importing any message whose record the database lost");
            Set<String> pending = ConcurrentHashMap.newKeySet();
            pending.addAll(toRecover);
            timer.execute(() -> recover(reconciler, pending, parallel, gate, recovered));
        }
        timer.scheduleWithFixedDelay(() -> {
            try {
                reconciler.checkAll(authorizedMailboxes.get());
            } catch (RuntimeException e) {
                log.warn("Reconciling the folders with the records failed: {}; trying again in a day", e.getMessage());
            }
        }, afterCrash ? EVERY.toMillis() : FIRST_CHECK_AFTER.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One recovery attempt for each pending mailbox, {@code parallel} at a time: the runs of each wait for its attempt,
     * so a node with many mailboxes must not make the last one wait for all the others' servers.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // nothing waits for the retry: it logs what it cannot recover
    private void recover(Reconciler reconciler, Set<String> pending, int parallel, RecoveryGate gate,
            Consumer<String> recovered) {
        ExecutorService attempts = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, pending.size())), r -> {
            Thread t = new Thread(r, "intake-recover");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Callable<Object>> each = Set.copyOf(pending).stream()
                    .map(id -> Executors.callable(() -> attempt(reconciler, id, pending, gate, recovered))).toList();
            attempts.invokeAll(each);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the node is stopping
            return;
        } finally {
            attempts.shutdownNow();
        }
        if (!pending.isEmpty()) {
            timer.schedule(() -> recover(reconciler, pending, parallel, gate, recovered), RECOVERY_RETRY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private static void attempt(Reconciler reconciler, String mailboxId, Set<String> pending, RecoveryGate gate,
            Consumer<String> recovered) {
        if (!reconciler.moves(mailboxId)) {
            pending.remove(mailboxId); // post-action seen: the rolled-back progress makes the next run re-collect
            gate.release(mailboxId);
            recovered.accept(mailboxId);
            return;
        }
        // A retry holds the mailbox's next runs too (a run already going when it starts is not waited for).
        gate.hold(Set.of(mailboxId));
        try {
            reconciler.recover(mailboxId);
            pending.remove(mailboxId);
        } catch (Exception e) {
            log.warn("Could not recover mailbox '{}' after the unclean shutdown: {}; trying again in {} minutes",
                    mailboxId, e.getMessage(), RECOVERY_RETRY.toMinutes());
        } finally {
            gate.release(mailboxId); // one attempt's wait at most: collection never waits on a recovery that fails
        }
        // The mail held back meanwhile (and any moved back) is collected now; after the release, or it would wait.
        recovered.accept(mailboxId);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
