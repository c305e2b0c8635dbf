package dev.intake.app.collect;

import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapFolder;
import dev.intake.app.imap.MessageSummary;
import dev.intake.app.spool.Spool;
import dev.intake.app.spool.SpoolWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The bodies of one batch of messages, read with as few round trips as memory allows. Messages up to
 * {@link #GROUP_MESSAGE_MAX} are fetched several per command, in groups of at most {@link #GROUP_BYTES}, when the
 * first of the group is needed; a larger message is streamed by itself, into a temporary file. Messages whose body will not be read (refused
 * for their size) are never fetched.
 *
 * <p>Each round trip costs the server's distance: against a server 40 ms away, one command per message caps a
 * mailbox at 25 messages a second however fast everything else is.
 */
final class BatchBodies {

    /** Larger messages are streamed in chunks rather than held in memory with others. */
    static final long GROUP_MESSAGE_MAX = 4L * 1024 * 1024;
    /** What one group may hold in memory at once (at least one message). */
    static final long GROUP_BYTES = 8L * 1024 * 1024;

    private final ImapFolder folder;
    private final List<MessageSummary> batch;
    private final Predicate<MessageSummary> read;
    private final Map<Long, Spool> fetched = new HashMap<>();
    private final Set<Long> requested = new HashSet<>();

    /**
     * @param read whether a message's body is read at all; a message refused by its size alone is not
     */
    BatchBodies(ImapFolder folder, List<MessageSummary> batch, Predicate<MessageSummary> read) {
        this.folder = folder;
        this.batch = List.copyOf(batch);
        this.read = read;
    }

    /**
     * The raw message, from its group (fetched now if it was not yet) or streamed on its own.
     *
     * @return empty when the message no longer exists on the server
     */
    Optional<Spool> raw(MessageSummary message) throws ImapException, IOException {
        if (message.size() > GROUP_MESSAGE_MAX) {
            return streamed(message);
        }
        if (!requested.contains(message.uid())) {
            fetchGroupFrom(message);
        }
        return Optional.ofNullable(fetched.remove(message.uid()));
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

    /** The group that starts with {@code first}: the messages after it in the batch, as many as fit. */
    private void fetchGroupFrom(MessageSummary first) throws ImapException {
        List<Long> group = new ArrayList<>();
        group.add(first.uid());
        long bytes = first.size();
        for (int i = batch.indexOf(first) + 1; i > 0 && i < batch.size(); i++) {
            MessageSummary next = batch.get(i);
            if (next.size() > GROUP_MESSAGE_MAX || !read.test(next) || requested.contains(next.uid())) {
                continue;
            }
            if (bytes + next.size() > GROUP_BYTES) {
                break;
            }
            group.add(next.uid());
            bytes += next.size();
        }
        requested.addAll(group);
        fetched.putAll(folder.rawMessages(group));
    }
}
