package dev.intake.app.schedule;

import dev.intake.app.store.Database;
import dev.intake.config.OperationsConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz with its JDBC job store in Intake's own database: one job per collected mailbox, repeating every
 * {@code poll-every}. On PostgreSQL the store is clustered, so several nodes share the jobs, each mailbox runs on one
 * node at a time, and a dead node's runs are recovered by the others.
 */
public final class CollectionScheduler implements AutoCloseable {

    static final String GROUP = "collect";
    static final String DELIVERY_GROUP = "deliver";
    /** How often each delivery target's job looks for due items (and a Retry runs it at once). */
    static final Duration DELIVERY_EVERY = Duration.ofSeconds(5);
    /** Threads beyond operations.scheduler-threads, so that delivery never waits for collection's threads. */
    public static final int DELIVERY_THREADS = 2;
    /** How often a clustered node checks in; a silent node is considered dead after a few intervals. */
    static final long CLUSTER_CHECKIN_MS = 2_000;
    static final long MISFIRE_THRESHOLD_MS = 600_000;
    static final String SCHEDULER_NAME = "intake";

    private static final Logger log = LoggerFactory.getLogger(CollectionScheduler.class);

    private final Scheduler scheduler;
    private final Duration shutdownGrace;
    private final AcquiredTriggerStore acquired;
    private final String instanceId;

    public CollectionScheduler(Database database, OperationsConfig operations, NodeIdentity node, MailboxRunner runner) {
        this(database, operations, node, runner, TargetRunner.NONE);
    }

    public CollectionScheduler(Database database, OperationsConfig operations, NodeIdentity node, MailboxRunner runner,
            TargetRunner delivery) {
        this.shutdownGrace = operations.shutdownGrace();
        this.acquired = new AcquiredTriggerStore(database.jdbi(), SCHEDULER_NAME);
        this.instanceId = node.id();
        String dataSourceName = "intake-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new SharedPool(database.dataSource()));
        boolean clustered = database.vendor() == Database.Vendor.POSTGRESQL;
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", node.id());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        // A trigger Quartz had already acquired when close() paused it can still fire after close() interrupted the
        // runs it saw; interrupting again at shutdown stops that run after its message in hand as well.
        p.setProperty("org.quartz.scheduler.interruptJobsOnShutdownWithWait", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(operations.schedulerThreads() + DELIVERY_THREADS));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "intake-collect");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", clustered
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        // A trigger later than this is a misfire, which Quartz stops handing to threads until its misfire handler (which
        // runs once per threshold) has rescheduled it. With a few seconds, a busy node (1,000 mailboxes polled every
        // minute by 4 threads) starved whichever mailboxes fell behind: they kept misfiring while the punctual ones took
        // every thread. Ten minutes keeps the late triggers of any burst in line, served oldest first; a node that was
        // down longer runs each missed poll once (the misfire instruction), and the catch-up fires of a trigger that was
        // late by more than its interval are skipped by the job (see RecentStarts).
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(MISFIRE_THRESHOLD_MS));
        p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(clustered));
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(CLUSTER_CHECKIN_MS));
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(p);
            this.scheduler = factory.getScheduler();
            RecentStarts starts = new RecentStarts();
            scheduler.setJobFactory((bundle, s) -> bundle.getJobDetail().getJobClass() == DeliverTargetJob.class
                    ? new DeliverTargetJob(delivery) : new CollectMailboxJob(runner, starts));
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not set up the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    public boolean isStarted() {
        try {
            return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /**
     * Makes the jobs match what should be collected: a job for every mailbox in {@code wanted} with its interval,
     * none for any other. Idempotent, and safe when several nodes do it at once.
     */
    public synchronized void sync(Map<String, Duration> wanted) {
        try {
            Set<JobKey> existing = new HashSet<>(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)));
            for (Map.Entry<String, Duration> e : wanted.entrySet()) {
                schedule(e.getKey(), e.getValue());
                existing.remove(jobKey(e.getKey()));
            }
            for (JobKey stale : existing) {
                scheduler.deleteJob(stale);
                log.info("Stopped collecting mailbox '{}'", stale.getName());
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not update the schedule: " + e.getMessage(), e);
        }
    }

    private void schedule(String mailboxId, Duration every) throws SchedulerException {
        TriggerKey key = triggerKey(mailboxId);
        Trigger current = scheduler.getTrigger(key);
        if (current instanceof SimpleTrigger simple && simple.getRepeatInterval() == every.toMillis()) {
            return;
        }
        JobDetail job = JobBuilder.newJob(CollectMailboxJob.class)
                .withIdentity(jobKey(mailboxId))
                .usingJobData(CollectMailboxJob.MAILBOX_KEY, mailboxId)
                .requestRecovery(true)
                .storeDurably(false)
                .build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(key)
                .forJob(job)
                .startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(every.toMillis())
                        .repeatForever()
                        // A node that was down or busy runs a missed poll once, not once per missed interval.
                        .withMisfireHandlingInstructionNowWithExistingCount())
                .build();
        scheduler.scheduleJob(job, Set.of(trigger), true);
        log.info("Collecting mailbox '{}' every {}s", mailboxId, every.toSeconds());
    }

    /**
     * Makes the delivery jobs match the configured targets: one job per target, every {@link #DELIVERY_EVERY}.
     * Idempotent, and safe when several nodes do it at once.
     */
    public synchronized void syncDeliveries(Set<String> targets) {
        try {
            Set<JobKey> existing = new HashSet<>(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(DELIVERY_GROUP)));
            for (String target : targets) {
                JobKey key = JobKey.jobKey(target, DELIVERY_GROUP);
                existing.remove(key);
                if (scheduler.checkExists(key)) {
                    continue;
                }
                JobDetail job = JobBuilder.newJob(DeliverTargetJob.class).withIdentity(key)
                        .usingJobData(DeliverTargetJob.TARGET_KEY, target).storeDurably(false).build();
                Trigger trigger = TriggerBuilder.newTrigger().withIdentity(TriggerKey.triggerKey(target, DELIVERY_GROUP))
                        .forJob(job).startNow()
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                .withIntervalInMilliseconds(DELIVERY_EVERY.toMillis()).repeatForever()
                                .withMisfireHandlingInstructionNextWithRemainingCount())
                        .build();
                scheduler.scheduleJob(job, Set.of(trigger), true);
                log.info("Delivering to '{}'", target);
            }
            for (JobKey stale : existing) {
                scheduler.deleteJob(stale);
                log.info("Stopped delivering to '{}'", stale.getName());
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not update the delivery schedule: " + e.getMessage(), e);
        }
    }

    /** Runs a delivery target's job now (after the run in progress, if there is one); nothing when it has none. */
    public void deliverNow(String target) {
        try {
            JobKey key = JobKey.jobKey(target, DELIVERY_GROUP);
            if (scheduler.checkExists(key)) {
                scheduler.triggerJob(key);
            }
        } catch (SchedulerException e) {
            log.warn("Could not start delivery to '{}' now: {}", target, e.getMessage());
        }
    }

    /** Runs a mailbox's collection now (after the run in progress, if there is one). */
    public void pollNow(String mailboxId) {
        try {
            if (!scheduler.checkExists(jobKey(mailboxId))) {
                throw new IllegalStateException("mailbox '" + mailboxId + "' is not being collected (not authorized, paused, "
                        + "or needs re-authorization)");
            }
            org.quartz.JobDataMap data = new org.quartz.JobDataMap();
            data.put(CollectMailboxJob.FORCED_KEY, "true");
            scheduler.triggerJob(jobKey(mailboxId), data);
        } catch (SchedulerException e) {
            throw new IllegalStateException("could not trigger mailbox '" + mailboxId + "': " + e.getMessage(), e);
        }
    }

    public Set<String> scheduledMailboxes() {
        try {
            Set<String> ids = new HashSet<>();
            for (JobKey k : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                ids.add(k.getName());
            }
            return ids;
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops taking new runs, asks runs in progress to stop after the message in hand, and waits for them up to the
     * configured grace period.
     */
    @Override
    public void close() {
        try {
            scheduler.standby();
            for (JobExecutionContext running : scheduler.getCurrentlyExecutingJobs()) {
                scheduler.interrupt(running.getFireInstanceId());
            }
        } catch (SchedulerException e) {
            log.warn("Could not pause the scheduler cleanly: {}", e.getMessage());
        }
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            stopper.submit(() -> {
                scheduler.shutdown(true);
                return null;
            }).get(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
            int released = acquired.releaseAcquiredBy(instanceId);
            if (released > 0) {
                log.debug("Gave back {} trigger(s) acquired but not fired when the scheduler stopped", released);
            }
        } catch (TimeoutException e) {
            log.warn("Runs still in progress after {}s; stopping anyway (they are recovered on the next start)",
                    shutdownGrace.toSeconds());
        } catch (Exception e) {
            log.warn("Scheduler shutdown: {}", e.getMessage());
        } finally {
            stopper.shutdownNow();
        }
    }

    static JobKey jobKey(String mailboxId) {
        return JobKey.jobKey(mailboxId, GROUP);
    }

    static TriggerKey triggerKey(String mailboxId) {
        return TriggerKey.triggerKey(mailboxId, GROUP);
    }

    /** Quartz draws its connections from Intake's pool. */
    private record SharedPool(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // The pool belongs to Intake's Database and closes with it.
        }

        @Override
        public void initialize() {
        }
    }
}
