package dev.intake.app.idle;

import dev.intake.app.collect.CollectionService;
import dev.intake.app.collect.MailboxSessions;
import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapIdle;
import dev.intake.app.imap.ImapSession;
import dev.intake.app.imap.ImapSessionLostException;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The IDLE loop of one mailbox, on its own thread, while this node holds the mailbox's lease: one long-lived IMAP
 * connection in IDLE, and a collection through {@link CollectionService} (its run lock, its commit-before-post-action,
 * its per-message savepoints) each time the server announces new mail.
 *
 * <p>The IDLE is re-issued every {@code idle-reissue-every}, before the server's own timeout; the connection is
 * renewed with a fresh access token before the token expires; a BYE (Exchange's {@code AccessTokenExpired} among
 * them) or a dropped connection is reconnected after a pause that doubles per failure up to a minute. Every
 * (re)connection first collects what arrived while no IDLE was running, so no message waits for the next poll.
 * A server without IDLE is polled every {@code poll-every} by this loop instead.
 */
final class MailboxIdler {

    /** A mailbox busy with a long run of another node waits this long before the announced mail is left to it. */
    static final Duration LOCK_WAIT = Duration.ofMinutes(2);
    /** Reconnection pauses double from this up to {@link #MAX_PAUSE}. */
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    /**
     * After the provider refused Intake's own credentials (a wrong or expired client secret), pauses double up to
     * this instead, as a scheduled run's backoff does: the same refusal every minute from every mailbox of the app
     * would add up to a throttled client. A reload (the fixed secret) ends the pause at once.
     */
    static final Duration REFUSED_MAX_PAUSE = Duration.ofMinutes(30);
    /** A wake that came just before the IDLE started is repeated this often until the loop has moved on. */
    private static final Duration WAKE_REPEAT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(MailboxIdler.class);

    private final String mailboxId;
    private final String node;
    private final Supplier<IntakeConfig> config;
    private final MailboxSessions sessions;
    private final CollectionService collection;
    private final IdleLeaseStore leases;
    private final java.util.concurrent.Semaphore runSlots;
    private final ScheduledExecutorService timer;
    private final Executor wakers;
    private final Clock clock;
    private final Thread thread;
    /** What pauses wait on: a stop, and a configuration change for a pause after a refusal. */
    private final Object pauses = new Object();
    /** Whether the configuration changed since the loop's last attempt began (guarded by {@link #pauses}). */
    private boolean configChanged;
    /** Changes each time the loop leaves an IDLE, so that a wake meant for an earlier one does nothing. */
    private final AtomicLong idleRound = new AtomicLong();
    private volatile boolean stopping;
    private volatile ImapIdle watching;

    MailboxIdler(String mailboxId, String node, Supplier<IntakeConfig> config, MailboxSessions sessions,
            CollectionService collection, IdleLeaseStore leases, java.util.concurrent.Semaphore runSlots,
            ScheduledExecutorService timer, Executor wakers, Clock clock) {
        this.mailboxId = mailboxId;
        this.node = node;
        this.config = config;
        this.sessions = sessions;
        this.collection = collection;
        this.leases = leases;
        this.runSlots = runSlots;
        this.timer = timer;
        this.wakers = wakers;
        this.clock = clock;
        // A small stack: a node may idle for hundreds of mailboxes, and this thread mostly waits in a socket read.
        this.thread = new Thread(null, this::run, "intake-idle-" + mailboxId, 512 * 1024);
        thread.setDaemon(true);
    }

    String mailboxId() {
        return mailboxId;
    }

    void start() {
        thread.start();
    }

    /** Asks the loop to leave its IDLE and end; returns at once. */
    void stop() {
        stopping = true;
        synchronized (pauses) {
            pauses.notifyAll();
        }
        wakeNow(idleRound.get());
    }

    /** The configuration was reloaded: a pause after a refusal by the provider ends, and the loop tries again. */
    void configChanged() {
        synchronized (pauses) {
            configChanged = true;
            pauses.notifyAll();
        }
    }

    /** False once the loop's thread has ended, stopped or not: the supervisor starts a dead loop again. */
    boolean isAlive() {
        return thread.isAlive();
    }

    boolean awaitStopped(Duration wait) {
        try {
            thread.join(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Drops the connection without waiting for the server: for a stop that took too long. */
    void forceClose() {
        ImapIdle idle = watching;
        if (idle != null) {
            idle.close();
        }
    }

    private void run() {
        MDC.put("mailbox", mailboxId);
        int failures = 0;
        while (!stopping) {
            synchronized (pauses) {
                configChanged = false; // a change from now on may be the fix for what this attempt meets
            }
            try {
                // Asked inside the try: a database that is briefly away must not end this thread.
                Optional<MailboxConfig> mailbox = collection.collectable(mailboxId).filter(MailboxConfig::idles);
                if (mailbox.isEmpty()) {
                    pause(Duration.ofSeconds(3)); // paused or unauthorized meanwhile: the supervisor ends this loop
                    continue;
                }
                if (connectAndIdle(mailbox.get())) {
                    failures = 0;
                }
            } catch (ImapException | ProviderException | RuntimeException e) {
                if (stopping) {
                    break;
                }
                failures++;
                if (e instanceof ImapSessionLostException lost && lost.accessTokenExpired()) {
                    sessions.tokenExpired(mailboxId);
                }
                boolean refused = e instanceof ClientCredentialsRejectedException;
                Duration pause = pauseAfter(failures, refused ? REFUSED_MAX_PAUSE : MAX_PAUSE);
                String why = e instanceof RuntimeException ? "Unexpected " + e.getClass().getSimpleName() + ": "
                        + e.getMessage() : e.getMessage();
                if (e instanceof RuntimeException) {
                    log.error("IDLE failed; reconnecting in {}s: {}", pause.toSeconds(), why, e);
                } else {
                    log.info("IDLE connection ended; reconnecting in {}s: {}", pause.toSeconds(), why);
                }
                record(IdleState.RECONNECTING, Optional.of(why + " Reconnecting in " + pause.toSeconds() + "s"
                        + (refused ? ", or as soon as the configuration changes." : ".")));
                pause(pause, refused);
            }
        }
        MDC.remove("mailbox");
    }

    /**
     * One connection: IDLE until it must be renewed or the loop stops. Returns true when it got as far as idling or
     * polling (the pause after failures starts over).
     */
    private boolean connectAndIdle(MailboxConfig mailbox) throws ImapException, ProviderException {
        ProviderConfig provider = config.get().provider(mailbox.provider())
                .orElseThrow(() -> new IllegalStateException("provider '" + mailbox.provider() + "' is not configured"));
        MailboxSessions.LongLived opened;
        // Connecting may refresh the token under its grant row's lock: it takes a run slot too, so that hundreds of
        // idlers starting at once do not hold every database connection while they wait for the provider.
        if (!takeSlot()) {
            return false;
        }
        try {
            opened = sessions.openLongLived(mailbox, provider);
        } finally {
            runSlots.release();
        }
        try (ImapSession session = opened.session()) {
            if (!session.supportsIdle()) {
                session.close();
                pollInstead(mailbox, session.target().address());
                return true;
            }
            try (ImapIdle idle = session.watch(mailbox.folder(), wakers)) {
                watching = idle;
                record(IdleState.IDLING, Optional.empty());
                log.debug("Idling on {}", mailbox.folder());
                collect(); // what arrived while no IDLE was running
                Instant renewAt = renewAt(opened.tokenExpiresAt());
                while (!stopping) {
                    Instant wakeAt = min(clock.instant().plus(mailbox.idle().reissueEvery()), renewAt);
                    long round = idleRound.get();
                    scheduleWake(round, wakeAt);
                    boolean newMail;
                    try {
                        newMail = idle.awaitNewMail();
                    } finally {
                        idleRound.incrementAndGet();
                    }
                    if (newMail && !stopping) {
                        collect();
                    }
                    if (!clock.instant().isBefore(renewAt)) {
                        log.debug("Renewing the IDLE connection before its access token expires at {}",
                                opened.tokenExpiresAt());
                        return true;
                    }
                }
                return true;
            } finally {
                watching = null;
            }
        }
    }

    /** The server lacks IDLE: poll every {@code poll-every}, and look again for IDLE every re-issue interval. */
    private void pollInstead(MailboxConfig mailbox, String server) {
        String why = "The IMAP server at " + server + " does not offer IDLE; polling every "
                + dev.intake.config.Durations.format(mailbox.pollEvery()) + " instead.";
        log.warn("{} Checking for IDLE again in {}", why, dev.intake.config.Durations.format(mailbox.idle().reissueEvery()));
        record(IdleState.FALLBACK, Optional.of(why));
        Instant lookAgain = clock.instant().plus(mailbox.idle().reissueEvery());
        while (!stopping && clock.instant().isBefore(lookAgain)) {
            // An ordinary scheduled run: it skips while another run holds the mailbox and keeps the failure backoff.
            pollOnce();
            pause(mailbox.pollEvery());
        }
    }

    /** Waits for a run slot; false when the loop is stopping instead. */
    private boolean takeSlot() {
        try {
            runSlots.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            return false;
        }
    }

    private void pollOnce() {
        if (!takeSlot()) {
            return;
        }
        try {
            collection.run(mailboxId, false, () -> stopping);
        } finally {
            runSlots.release();
        }
    }

    private void collect() {
        if (stopping || !takeSlot()) {
            return;
        }
        try {
            if (!stopping) {
                collection.runOnNewMail(mailboxId, LOCK_WAIT, () -> stopping);
            }
        } finally {
            runSlots.release();
        }
    }

    /**
     * When to renew the connection: a little before the token expires (the session would end with it), but at the
     * earliest halfway through the token's remaining life, so that a short-lived token does not spin.
     */
    private Instant renewAt(Instant tokenExpiresAt) {
        Instant now = clock.instant();
        Duration left = Duration.between(now, tokenExpiresAt);
        Duration margin = Duration.ofMinutes(2);
        Duration wait = left.minus(margin).compareTo(left.dividedBy(2)) > 0 ? left.minus(margin) : left.dividedBy(2);
        return now.plus(wait.isNegative() ? Duration.ZERO : wait);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // a wake that finds the round over does nothing
    private void scheduleWake(long round, Instant at) {
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        try {
            timer.schedule(() -> wakeNow(round), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            stopping = true;
        }
    }

    /** Wakes the IDLE of {@code round} if the loop is still in it, and again shortly in case it had not begun yet. */
    @SuppressWarnings("FutureReturnValueIgnored")
    private void wakeNow(long round) {
        if (idleRound.get() != round || !thread.isAlive()) {
            return;
        }
        ImapIdle idle = watching;
        try {
            if (idle != null) {
                // Ending an IDLE waits for the server's answer: not on the timer's thread.
                wakers.execute(idle::wake);
            }
            timer.schedule(() -> wakeNow(round), WAKE_REPEAT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the node is stopping: closing the connection ends the IDLE instead
        }
    }

    private void record(IdleState state, Optional<String> detail) {
        try {
            leases.record(mailboxId, node, state, detail);
        } catch (RuntimeException e) {
            log.warn("Could not record the IDLE state ({}): {}", state, e.getMessage());
        }
    }

    private void pause(Duration d) {
        pause(d, false);
    }

    /** Waits {@code d}, or until the loop is stopped, or (when {@code untilConfigChanges}) the configuration changes. */
    private void pause(Duration d, boolean untilConfigChanges) {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (pauses) {
            while (!stopping && !(untilConfigChanges && configChanged)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(pauses, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                    return;
                }
            }
        }
    }

    /** {@link #FIRST_PAUSE}, doubled with each further failure, up to {@code max}. */
    static Duration pauseAfter(int failures, Duration max) {
        long factor = 1L << Math.min(failures - 1, 20);
        Duration d = FIRST_PAUSE.multipliedBy(factor);
        return d.compareTo(max) > 0 ? max : d;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
