package dev.intake.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current configuration, reloaded when the config file or a file it references changes.
 *
 * <p>Changes are found by polling the content digest of every source file (the config file, each
 * {@code ${file:...}} secret, {@code tls.truststore}), every {@code operations.reload-check-every}. Digests,
 * not file-system events or timestamps, because editors save by writing a new file and renaming it, and
 * Kubernetes swaps secret volumes by moving a symlink: both change the content a path leads to without any
 * event on the path itself, and a digest sees exactly that.
 *
 * <p>A valid change replaces the snapshot and tells every listener; an invalid one keeps the last good snapshot,
 * logs every problem once and is kept for status pages in {@link #lastRejected()} until a valid change clears it.
 */
public final class ReloadingConfig implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReloadingConfig.class);

    /** How long a changed file must stay as it was read before it is applied; see {@link #stillBeingWritten}. */
    static final Duration SETTLE = Duration.ofMillis(150);

    private final ConfigLoader loader;
    private final Path file;
    private final List<ConfigListener> listeners = new CopyOnWriteArrayList<>();
    private final Object checkLock = new Object();

    private volatile IntakeConfig current;
    private volatile Optional<ConfigException> lastRejected = Optional.empty();
    /** Fingerprints of the sources of the last attempt, good or bad; guarded by {@link #checkLock}. */
    private Map<Path, String> watched;
    private ScheduledExecutorService poller;
    private boolean closed;

    /**
     * Loads the configuration once.
     *
     * @param file the config file, or null to run on {@link ConfigLoader#defaults()} with nothing to watch
     * @throws ConfigException when the initial configuration is not valid: there is no last good one to keep
     */
    public ReloadingConfig(ConfigLoader loader, Path file) throws ConfigException {
        this.loader = loader;
        this.file = file;
        if (file == null) {
            this.current = loader.defaults().config();
            this.watched = Map.of();
            return;
        }
        ConfigLoader.Attempt attempt = loader.attempt(file);
        if (attempt.config().isEmpty()) {
            throw new ConfigException(attempt.problems());
        }
        this.current = attempt.config().get();
        this.watched = attempt.fingerprints();
    }

    /**
     * Runs on the defaults until {@code file} appears, then loads it as any change: Intake started without a
     * configuration picks up the collector.yaml an admin creates afterwards, without a restart. When the file
     * exists already, this is the same as the constructor.
     */
    public static ReloadingConfig awaiting(ConfigLoader loader, Path file) throws ConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            return new ReloadingConfig(loader, file);
        }
        return new ReloadingConfig(loader, file, loader.defaults().config(),
                Map.of(absolute, SourceFiles.fingerprint(absolute)));
    }

    private ReloadingConfig(ConfigLoader loader, Path file, IntakeConfig defaults, Map<Path, String> watched) {
        this.loader = loader;
        this.file = file;
        this.current = defaults;
        this.watched = watched;
    }

    /** The latest valid snapshot. */
    public IntakeConfig current() {
        return current;
    }

    /**
     * Listeners are called in the order added, on the thread that found the change, one snapshot at a time;
     * a listener that takes long delays the next check.
     */
    public void addListener(ConfigListener listener) {
        listeners.add(listener);
    }

    /** Starts polling on a daemon thread; does nothing without a config file or when already started. */
    public void start() {
        synchronized (checkLock) {
            if (file == null || poller != null || closed) {
                return;
            }
            poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "intake-config-reload");
                thread.setDaemon(true);
                return thread;
            });
            scheduleNextCheck();
        }
    }

    /** Re-reads the interval each time, so a reload may change how often the next checks run. */
    @SuppressWarnings("FutureReturnValueIgnored") // the check logs its own failures, and close() ends the poller
    private void scheduleNextCheck() {
        long millis = Math.max(1, current.operations().reloadCheckEvery().toMillis());
        poller.schedule(() -> {
            try {
                checkNow();
            } catch (Throwable e) {
                // Whatever went wrong (even an Error), the next check must still happen, and the admin must hear of it:
                // a reload thread that died silently would leave removed admins able to sign in.
                lastRejected = Optional.of(new ConfigException(List.of(new ConfigProblem(file.getFileName().toString(),
                        "checking the configuration for changes failed (" + e.getClass().getSimpleName() + ": "
                                + e.getMessage() + "); the last good configuration stays in force"))));
                log.error("Checking the configuration files for changes failed; will check again", e);
            }
            synchronized (checkLock) {
                if (!closed) {
                    scheduleNextCheck();
                }
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Checks the source files once now and reloads when any changed.
     *
     * @return true when a new snapshot was published
     */
    public boolean checkNow() {
        // Loading and telling listeners happen under one lock, so listeners see snapshots one at a time, in order.
        synchronized (checkLock) {
            if (file == null || closed || !changed()) {
                return false;
            }
            ConfigLoader.Attempt attempt = loader.attempt(file);
            if (stillBeingWritten(attempt.fingerprints())) {
                // Not recorded as seen: the next check loads the file again once its writer is done.
                log.info("{} changed while it was read; it is read again at the next check", file);
                return false;
            }
            watched = attempt.fingerprints();
            if (attempt.config().isEmpty()) {
                reject(new ConfigException(attempt.problems()));
                return false;
            }
            IntakeConfig previous = current;
            IntakeConfig next = attempt.config().get();
            current = next;
            lastRejected = Optional.empty();
            log.info("Configuration reloaded from {}", file);
            notifyListeners(previous, next);
            return true;
        }
    }

    /**
     * Whether a source changed again just after it was read. A file written in several steps ({@code cat >}, an scp,
     * a deployment tool that truncates first) may read as valid YAML with its second half missing, mailboxes and all;
     * applying that would stop collecting them until the next check. Reading again after a short pause sees such a
     * writer still at work; a file replaced whole (editors, Kubernetes) is only applied the pause later.
     */
    private boolean stillBeingWritten(Map<Path, String> read) {
        try {
            Thread.sleep(SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return differsFrom(read);
    }

    private boolean changed() {
        return differsFrom(watched);
    }

    /** Whether any source's content now differs from the fingerprint it had when read. */
    private static boolean differsFrom(Map<Path, String> fingerprints) {
        for (Map.Entry<Path, String> source : fingerprints.entrySet()) {
            if (!SourceFiles.fingerprint(source.getKey()).equals(source.getValue())) {
                return true;
            }
        }
        return false;
    }

    private void reject(ConfigException problem) {
        lastRejected = Optional.of(problem);
        log.warn("The changed configuration in {} is not valid; keeping the last good configuration until it is fixed."
                + " {} problem(s):", file, problem.problems().size());
        for (ConfigProblem p : problem.problems()) {
            log.warn("  {}", p);
        }
    }

    private void notifyListeners(IntakeConfig previous, IntakeConfig next) {
        for (ConfigListener listener : listeners) {
            try {
                listener.changed(previous, next);
            } catch (RuntimeException e) {
                // One broken listener must not keep the others on the old configuration.
                log.error("A configuration listener ({}) failed; the others are still told", listener.getClass().getName(), e);
            }
        }
    }

    /** The last change that was refused, for status pages; empty once a valid change has been loaded. */
    public Optional<ConfigException> lastRejected() {
        return lastRejected;
    }

    /** Stops polling. */
    @Override
    public void close() {
        ScheduledExecutorService toStop;
        synchronized (checkLock) {
            closed = true;
            toStop = poller;
        }
        if (toStop != null) {
            toStop.shutdownNow();
            try {
                toStop.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
