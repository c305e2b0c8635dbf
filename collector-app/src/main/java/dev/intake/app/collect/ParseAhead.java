package dev.intake.app.collect;

import dev.intake.app.mail.ParsedMail;
import dev.intake.app.spool.Spool;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The messages of one batch that were taken (fetched) and are being parsed on the {@link ParsePool} while the run's
 * thread fetches the next ones and stores the oldest. Stores happen on the run's thread, in the order the messages
 * were taken (UID order), inside the batch's transaction: ticket numbers, threading and duplicate detection see the
 * same order as when one message was handled at a time.
 *
 * <p>The window is bounded twice: by a number of messages, which bounds the temporary files held, and by the bytes of
 * the raw messages it holds in memory, which bounds the heap. Within those bounds it should be deep: a message with a
 * large attachment takes many times longer to parse than a plain one takes to store, and a shallow window makes the
 * run's thread wait for it while the parse threads have nothing else to do.
 *
 * <p>What was taken but not stored when the window closes (a stop request, a failure) is dropped: it was never
 * recorded, so the next run takes it again.
 */
final class ParseAhead implements AutoCloseable {

    /** Stores one taken message with its parse (empty when its body was not read). */
    interface Store {
        void store(MessageProcessor.Taken taken, Optional<ParsedMail> mail);
    }

    private final ParsePool pool;
    private final int maxMessages;
    private final long maxMemoryBytes;
    private final Deque<Entry> window = new ArrayDeque<>();
    private long memoryBytes;

    private record Entry(MessageProcessor.Taken taken, Future<Optional<ParsedMail>> parsed) {
    }

    /**
     * @param maxMessages    the most messages waiting ahead (at least one)
     * @param maxMemoryBytes the most bytes of raw messages held in memory by the messages waiting ahead; a single
     *                       message larger than this still passes, alone
     */
    ParseAhead(ParsePool pool, int maxMessages, long maxMemoryBytes) {
        this.pool = pool;
        this.maxMessages = Math.max(1, maxMessages);
        this.maxMemoryBytes = maxMemoryBytes;
    }

    /** Starts parsing a taken message, then stores the oldest ones until the window is within its bounds again. */
    void add(MessageProcessor.Taken taken, Function<MessageProcessor.Taken, Optional<ParsedMail>> parse, Store store) {
        Future<Optional<ParsedMail>> parsed;
        try {
            parsed = taken.raw().isPresent()
                    ? pool.submit(() -> parse.apply(taken))
                    : CompletableFuture.completedFuture(Optional.empty());
        } catch (RuntimeException refused) {
            // The pool is shut down (the node stops while this run overran its grace): the run fails, and the
            // message's temporary file must not outlive it.
            taken.close();
            throw refused;
        }
        window.addLast(new Entry(taken, parsed));
        memoryBytes += heldInMemory(taken);
        while (window.size() > maxMessages || (window.size() > 1 && memoryBytes > maxMemoryBytes)) {
            storeOldest(store);
        }
    }

    /** Stores every message still waiting, in order. */
    void storeAll(Store store) {
        while (!window.isEmpty()) {
            storeOldest(store);
        }
    }

    private static long heldInMemory(MessageProcessor.Taken taken) {
        return taken.raw().filter(Spool::inMemory).map(Spool::size).orElse(0L);
    }

    private void storeOldest(Store store) {
        Entry oldest = window.removeFirst();
        memoryBytes -= heldInMemory(oldest.taken());
        Optional<ParsedMail> mail;
        try {
            mail = await(oldest.parsed());
        } catch (RuntimeException | Error e) {
            oldest.taken().close();
            throw e;
        }
        // The parse may hold the raw message as an attachment (a damaged mail's original): closed before the raw.
        try (MessageProcessor.Taken taken = oldest.taken(); ParsedMail parsed = mail.orElse(null)) {
            store.store(taken, mail);
        }
    }

    /** Drops what was not stored, waiting for parses in progress so that their temporary files are deleted. */
    @Override
    public void close() {
        while (!window.isEmpty()) {
            Entry entry = window.removeFirst();
            try {
                await(entry.parsed()).ifPresent(ParsedMail::close);
            } catch (RuntimeException | Error ignored) {
                // Its failure is not this run's to report any more: the message is taken again by the next run.
            } finally {
                entry.taken().close();
            }
        }
    }

    /** The parse's result, its failure rethrown as it was thrown on the pool's thread. */
    private static Optional<ParsedMail> await(Future<Optional<ParsedMail>> parsed) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return parsed.get();
                } catch (InterruptedException e) {
                    // A stop request interrupts the run's thread (Quartz): finish waiting, then keep the interrupt.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UncheckedIOException(new java.io.IOException("parsing a message failed", cause));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
