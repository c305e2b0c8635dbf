package dev.intake.app.idle;

import dev.intake.app.collect.CollectionService;
import dev.intake.app.collect.MailboxSessions;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this node's share of IMAP IDLE: for each mailbox in {@code mode: idle} that may be collected, an idler on the
 * node that holds its lease, so that on a cluster exactly one node idles for a mailbox. Every {@link #HEARTBEAT} it
 * renews the leases it holds, takes free or lapsed ones, and starts and stops idlers to match the configuration
 * (a reload, a pause, a lost authorization). A node that cannot renew stops its idlers before its leases lapse, so
 * two nodes never idle for long side by side; even then the run lock keeps their collections apart.
 */
public final class IdleSupervisor implements AutoCloseable {

    /** How often leases are renewed and taken. */
    static final Duration HEARTBEAT = Duration.ofSeconds(3);
    /**
     * How long a lease lasts unless renewed: after a node dies, another takes over its mailboxes within this time
     * plus a heartbeat. Five heartbeats, so a slow database or a pause of the JVM does not hand a lease over.
     */
    static final Duration LEASE = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(IdleSupervisor.class);

    private final Supplier<IntakeConfig> config;
    private final MailboxSessions sessions;
    private final CollectionService collection;
    private final IdleLeaseStore leases;
    private final String node;
    private final Clock clock;
    private final Map<String, MailboxIdler> idlers = new ConcurrentHashMap<>();
    /**
     * Collections started by IDLE at once on this node. Each holds two database connections (its run lock and its
     * writes), so without a bound hundreds of idlers reconnecting together (a node start, a network blip) would take
     * the whole pool and wait on each other for a second connection. The pool has room for these (Intake).
     */
    private final java.util.concurrent.Semaphore runSlots;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("intake-idle-timer"));
    private final ExecutorService wakers = Executors.newCachedThreadPool(daemon("intake-idle-wake"));
    private volatile Instant lastRenewed;
    private volatile java.util.concurrent.ScheduledFuture<?> heartbeat;
    private volatile boolean closed;

    public IdleSupervisor(Supplier<IntakeConfig> config, MailboxSessions sessions, CollectionService collection,
            IdleLeaseStore leases, String node, int runSlots, Clock clock) {
        this.config = config;
        this.sessions = sessions;
        this.collection = collection;
        this.leases = leases;
        this.node = node;
        this.clock = clock;
        this.runSlots = new java.util.concurrent.Semaphore(runSlots, true);
    }

    /**
     * How many IDLE-started collections may run at once beside the scheduler's: what the pool has room for after
     * the scheduler's runs (two connections each) and four spare, and at least one (the spare then serves it).
     */
    public static int runSlots(int poolSize, int schedulerThreads) {
        return Math.max(1, (poolSize - 2 * schedulerThreads - 4) / 2);
    }

    /** From now on: at once, and every heartbeat. */
    public void start() {
        lastRenewed = clock.instant();
        heartbeat = timer.scheduleWithFixedDelay(this::tickSafely, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The configuration or a mailbox's state changed: idlers are started and stopped now rather than at the next beat. */
    public void reconcile() {
        if (!closed) {
            timer.execute(this::tickSafely);
        }
    }

    /**
     * The configuration was reloaded: the idlers waiting out a refusal of Intake's credentials try again now (the
     * reload may be the fixed secret), and idlers are started and stopped to match it.
     */
    public void configChanged() {
        idlers.values().forEach(MailboxIdler::configChanged);
        reconcile();
    }

    /** The mailboxes this node idles for now. */
    public Set<String> idling() {
        return Set.copyOf(idlers.keySet());
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Checking the IDLE leases failed: {}; trying again in {}s", e.getMessage(), HEARTBEAT.toSeconds());
            if (lastRenewed != null && clock.instant().isAfter(lastRenewed.plus(LEASE.minus(HEARTBEAT.multipliedBy(2))))) {
                // The leases may lapse before this node can renew them: another node may take over, so stop idling.
                stopAll("its IDLE leases could not be renewed");
            }
        }
    }

    private synchronized void tick() {
        if (closed) {
            return;
        }
        Set<String> collectable = collection.collectableMailboxes();
        Set<String> wanted = new LinkedHashSet<>();
        for (MailboxConfig m : config.get().mailboxes()) {
            if (m.idles() && collectable.contains(m.id())) {
                wanted.add(m.id());
            }
        }
        for (String id : List.copyOf(idlers.keySet())) {
            if (!idlers.get(id).isAlive()) {
                // Its thread ended on something its loop did not expect: started again below, on the lease this node holds.
                idlers.remove(id);
                log.warn("The IDLE loop of mailbox '{}' had ended; starting it again", id);
            } else if (!wanted.contains(id)) {
                stopIdler(id, "it is no longer to be idled (configuration, pause or authorization changed)");
                leases.release(id, node);
            }
        }
        Set<String> held = leases.renew(node, idlers.keySet(), LEASE);
        lastRenewed = clock.instant();
        for (String id : List.copyOf(idlers.keySet())) {
            if (!held.contains(id)) {
                stopIdler(id, "another node has taken its IDLE lease over");
            }
        }
        // Read all leases once, so that a node standing by for many mailboxes tries only the free and lapsed ones.
        Map<String, IdleLease> current = wanted.stream().anyMatch(id -> !idlers.containsKey(id)) ? leases.all() : Map.of();
        Instant now = clock.instant();
        for (String id : wanted) {
            IdleLease lease = current.get(id);
            boolean takeable = lease == null || lease.lapsed(now) || lease.node().equals(node);
            if (!idlers.containsKey(id) && takeable && leases.tryAcquire(id, node, LEASE)) {
                MailboxIdler idler = new MailboxIdler(id, node, config, sessions, collection, leases, runSlots, timer, wakers,
                        clock);
                idlers.put(id, idler);
                idler.start();
                log.info("Idling for mailbox '{}' on this node ({})", id, node);
            }
        }
    }

    private void stopIdler(String id, String why) {
        MailboxIdler idler = idlers.remove(id);
        if (idler != null) {
            log.info("Stopping IDLE for mailbox '{}': {}", id, why);
            idler.stop();
        }
    }

    private synchronized void stopAll(String why) {
        for (String id : List.copyOf(idlers.keySet())) {
            stopIdler(id, why);
        }
    }

    /** Leaves every IDLE (SIGTERM, tests) and gives the leases up, so another node takes over at once. */
    @Override
    public void close() {
        closed = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        List<MailboxIdler> stopping;
        synchronized (this) {
            stopping = new ArrayList<>(idlers.values());
            idlers.clear();
        }
        stopping.forEach(MailboxIdler::stop);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (MailboxIdler idler : stopping) {
            if (!idler.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                log.warn("The IDLE of mailbox '{}' did not end in time; dropping its connection", idler.mailboxId());
                idler.forceClose();
            }
            try {
                leases.release(idler.mailboxId(), node);
            } catch (RuntimeException e) {
                log.debug("Could not give the IDLE lease of '{}' up; it lapses by itself: {}", idler.mailboxId(),
                        e.getMessage());
            }
        }
        timer.shutdownNow();
        wakers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
