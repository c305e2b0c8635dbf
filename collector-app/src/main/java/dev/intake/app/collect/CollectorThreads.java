package dev.intake.app.collect;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's threads that work for the collection runs, shared by every mailbox, so that a run's own thread can
 * store while the rest of its batch is read and parsed:
 * <ul>
 *   <li>parsing, one thread per core: parsing is the largest CPU cost of a message, and it needs neither the IMAP
 *       session nor the database (see {@link ParseAhead});
 *   <li>fetching ahead: a run reads the next group of bodies from its IMAP connection while its thread stores the
 *       current one (see {@link BatchBodies}). These threads mostly wait for the network, so there are as many as
 *       runs need, one each at most.
 * </ul>
 * Both kinds are daemon threads: a node that exits mid-run drops what they hold, and nothing of it was recorded yet.
 */
public final class CollectorThreads implements AutoCloseable {

    private final ExecutorService parsers;
    private final ExecutorService fetchers;
    private final int parserCount;

    public CollectorThreads(int parserCount) {
        this.parserCount = Math.max(1, parserCount);
        this.parsers = Executors.newFixedThreadPool(this.parserCount, daemon("intake-parse-"));
        this.fetchers = Executors.newCachedThreadPool(daemon("intake-fetch-"));
    }

    /** A parsing thread per core this JVM may use. */
    public static CollectorThreads perCore() {
        return new CollectorThreads(Runtime.getRuntime().availableProcessors());
    }

    int parserCount() {
        return parserCount;
    }

    <T> Future<T> parse(Callable<T> task) {
        return parsers.submit(task);
    }

    <T> Future<T> fetch(Callable<T> task) {
        return fetchers.submit(task);
    }

    @Override
    public void close() {
        parsers.shutdown();
        fetchers.shutdown();
        try {
            parsers.awaitTermination(30, TimeUnit.SECONDS);
            fetchers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
