package dev.intake.app.collect;

import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapFolder;
import dev.intake.app.imap.MessageSummary;
import dev.intake.app.spool.Spool;
import dev.intake.app.spool.SpoolWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The bodies of one batch of messages, read with as few round trips as memory allows, and ahead of need. Messages up
 * to {@link #GROUP_MESSAGE_MAX} are fetched several per command, in groups of at most {@link #GROUP_BYTES}; when a
 * group arrives, the next one is fetched on a {@link CollectorThreads} thread while the run's thread stores this
 * one, so the network and the database work at the same time. A larger message is streamed by itself, into a
 * temporary file, when it is needed. Messages whose body will not be read (refused for their size) are never
 * fetched.
 *
 * <p>Each round trip costs the server's distance: against a server 40 ms away, one command per message caps a
 * mailbox at 25 messages a second however fast everything else is. At most two groups are held at once.
 */
final class BatchBodies implements AutoCloseable {

    /** Larger messages are streamed in chunks rather than held in memory with others. */
    static final long GROUP_MESSAGE_MAX = 4L * 1024 * 1024;
    /** What one group may hold in memory at once (at least one message). */
    static final long GROUP_BYTES = 2L * 1024 * 1024;

    private final ImapFolder folder;
    private final CollectorThreads threads;
    private final List<List<Long>> groups;
    private final Map<Long, Integer> groupOf = new HashMap<>();
    private final Map<Long, byte[]> fetched = new HashMap<>();
    /** The groups asked for so far; the last may still be in flight. */
    private int requested;
    private Future<Map<Long, byte[]>> inFlight;

    /**
     * @param read whether a message's body is read at all; a message refused by its size alone is not
     */
    BatchBodies(ImapFolder folder, List<MessageSummary> batch, Predicate<MessageSummary> read, CollectorThreads threads) {
        this.folder = folder;
        this.threads = threads;
        this.groups = plan(batch, read);
        for (int g = 0; g < groups.size(); g++) {
            for (long uid : groups.get(g)) {
                groupOf.put(uid, g);
            }
        }
    }

    /** The batch's groupable messages in order, cut into groups of at most {@link #GROUP_BYTES}. */
    private static List<List<Long>> plan(List<MessageSummary> batch, Predicate<MessageSummary> read) {
        List<List<Long>> groups = new ArrayList<>();
        List<Long> group = new ArrayList<>();
        long bytes = 0;
        for (MessageSummary message : batch) {
            if (message.size() > GROUP_MESSAGE_MAX || !read.test(message)) {
                continue;
            }
            if (!group.isEmpty() && bytes + message.size() > GROUP_BYTES) {
                groups.add(group);
                group = new ArrayList<>();
                bytes = 0;
            }
            group.add(message.uid());
            bytes += message.size();
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    /**
     * The raw message, from its group (waited for, or fetched now) or streamed on its own. Messages are asked for in
     * the batch's order.
     *
     * @return empty when the message no longer exists on the server
     */
    Optional<Spool> raw(MessageSummary message) throws ImapException, IOException {
        Integer group = groupOf.get(message.uid());
        if (group == null) {
            return streamed(message);
        }
        while (requested <= group) {
            receive(requested);
        }
        return Optional.ofNullable(fetched.remove(message.uid())).map(Spool::of);
    }

    /** Takes group {@code g} (waiting for it when it is in flight), then sends for the next one. */
    private void receive(int g) throws ImapException {
        if (inFlight != null) {
            Future<Map<Long, byte[]>> ahead = inFlight;
            inFlight = null;
            fetched.putAll(await(ahead));
        } else {
            fetched.putAll(folder.rawMessages(groups.get(g)));
        }
        requested = g + 1;
        if (requested < groups.size()) {
            List<Long> next = groups.get(requested);
            inFlight = threads.fetch(() -> folder.rawMessages(next));
        }
    }

    /** A large message goes from the server to a temporary file in chunks, never whole through the heap. */
    private Optional<Spool> streamed(MessageSummary message) throws ImapException, IOException {
        AtomicReference<Spool> raw = new AtomicReference<>();
        try (SpoolWriter spool = new SpoolWriter()) {
            boolean found;
            try {
                found = folder.withRaw(message.uid(), in -> {
                    in.transferTo(spool);
                    raw.set(spool.finish());
                });
            } catch (ImapException | IOException | RuntimeException e) {
                // The stream failed after the last byte (the server's BYE came with it): the file is ours to delete.
                if (raw.get() != null) {
                    raw.get().close();
                }
                throw e;
            }
            if (!found) {
                return Optional.empty();
            }
        }
        return Optional.of(raw.get());
    }

    /** Waits for a fetch in flight, so that no command of this batch is still running when its folder is closed. */
    @Override
    public void close() {
        if (inFlight != null) {
            try {
                await(inFlight);
            } catch (ImapException | RuntimeException ignored) {
                // Nobody needs its bodies any more; a broken connection shows in the run's next command.
            } finally {
                inFlight = null;
            }
        }
        fetched.clear();
    }

    /** The fetch's result, its failure rethrown as it was thrown on the fetching thread. */
    private static Map<Long, byte[]> await(Future<Map<Long, byte[]>> fetch) throws ImapException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return fetch.get();
                } catch (InterruptedException e) {
                    // A stop request interrupts the run's thread (Quartz): the fetch ends by itself (socket timeouts).
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ImapException imap) {
                throw imap;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("fetching message bodies failed", cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
