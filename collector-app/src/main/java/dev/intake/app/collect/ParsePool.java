package dev.intake.app.collect;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's threads for parsing mail, shared by every mailbox's runs: parsing is the largest CPU cost of a message,
 * and it needs neither the IMAP session nor the database, so a run parses the next messages of its batch here while
 * its own thread fetches and stores (see {@link ParseAhead}). One thread per core.
 */
public final class ParsePool implements AutoCloseable {

    private final ExecutorService threads;
    private final int size;

    public ParsePool(int size) {
        this.size = Math.max(1, size);
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(this.size, task -> {
            Thread thread = new Thread(task, "intake-parse-" + count.incrementAndGet());
            // A node that exits mid-run drops what is being parsed: nothing of it was recorded yet.
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A pool with a thread per core this JVM may use. */
    public static ParsePool perCore() {
        return new ParsePool(Runtime.getRuntime().availableProcessors());
    }

    int size() {
        return size;
    }

    <T> Future<T> submit(Callable<T> task) {
        return threads.submit(task);
    }

    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
