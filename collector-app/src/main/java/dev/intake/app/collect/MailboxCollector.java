package dev.intake.app.collect;

import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapFolder;
import dev.intake.app.imap.ImapSession;
import dev.intake.app.imap.ImapSessionLostException;
import dev.intake.app.imap.MessageSummary;
import dev.intake.app.ledger.FolderState;
import dev.intake.app.ledger.LedgerStore;
import dev.intake.app.store.Transaction;
import dev.intake.app.store.Transactions;
import dev.intake.config.InitialSync;
import dev.intake.config.MailboxConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.provider.ProviderException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection run of one mailbox: token, IMAP session, the UIDs not yet handled, processed and committed a batch
 * at a time, then the server-side post-actions of the batch. The processed-message records make the run
 * idempotent: whatever fails, a rerun neither loses nor repeats a message.
 */
public final class MailboxCollector {

    /**
     * Messages fetched and handled per batch: one FETCH for their summaries, their bodies several per FETCH (see
     * {@link BatchBodies}), one post-action per target.
     */
    static final int BATCH = 50;
    /**
     * Batches committed between post-actions. A crash in between leaves more messages recorded with their post-action
     * pending; the next run finishes them first, as for a crash right after one batch.
     */
    static final int POST_ACTIONS_EVERY = 4;
    /**
     * Messages parsed ahead of the one being stored, per parse thread. Deep, because storing a plain message is quick
     * and parsing one with a large attachment is not: with two per thread, the benchmark's run thread spent a quarter
     * of its time waiting for parses while the parse threads were idle three quarters of theirs.
     */
    static final int PARSE_AHEAD_PER_THREAD = 12;
    /**
     * The raw messages a run's parse-ahead window holds in memory, at most (besides the batch's fetched group, {@link
     * BatchBodies#GROUP_BYTES}); no more than four messages of up to 4 MB each held before it was bounded by count.
     */
    static final long PARSE_AHEAD_BYTES = 8L * 1024 * 1024;
    /** A run reconnects at most this many times after the server ended the session. */
    static final int MAX_RECONNECTS = 3;

    private static final Logger log = LoggerFactory.getLogger(MailboxCollector.class);

    private final MailboxSessions sessions;
    private final Transactions transactions;
    private final LedgerStore ledger;
    private final Runnable makeCommitsDurable;
    private final MessageProcessor processor;
    private final Clock clock;
    private final FaultPoints faults;
    private final ParsePool parsers;
    private final TargetFolders targets = new TargetFolders();

    public MailboxCollector(MailboxSessions sessions, Transactions transactions, LedgerStore ledger,
            Runnable makeCommitsDurable, MessageProcessor processor, Clock clock, FaultPoints faults, ParsePool parsers) {
        this.sessions = sessions;
        this.transactions = transactions;
        this.ledger = ledger;
        this.makeCommitsDurable = makeCommitsDurable;
        this.processor = processor;
        this.clock = clock;
        this.faults = faults;
        this.parsers = parsers;
    }

    /**
     * Collects up to {@code max-per-run} messages, counting what it does in {@code summary} as it goes.
     *
     * @throws ProviderException when no access token can be had (the mailbox's state is updated by the token service)
     * @throws ImapException when the server cannot be reached, refuses the token twice, or keeps dropping the session
     */
    public void collect(MailboxConfig mailbox, ProviderConfig provider, PollSummary summary, BooleanSupplier stop)
            throws ProviderException, ImapException {
        try {
            collectReconnecting(mailbox, provider, summary, stop);
        } catch (ImapException e) {
            throw sessions.explained(mailbox, provider, e);
        }
    }

    private void collectReconnecting(MailboxConfig mailbox, ProviderConfig provider, PollSummary summary,
            BooleanSupplier stop) throws ProviderException, ImapException {
        int reconnects = 0;
        while (true) {
            try (ImapSession session = sessions.open(mailbox, provider)) {
                runSession(session, mailbox, summary, stop);
                return;
            } catch (ImapException e) {
                // A move may have failed because a folder went away: the next session checks the folders again.
                targets.forget(mailbox);
                if (!(e instanceof ImapSessionLostException lost)) {
                    throw e;
                }
                if (lost.accessTokenExpired()) {
                    sessions.tokenExpired(mailbox.id());
                }
                if (++reconnects > MAX_RECONNECTS) {
                    throw lost;
                }
                log.info("The IMAP session ended mid-run ({}); reconnecting and continuing where the run stood",
                        lost.getMessage());
            }
        }
    }

    private void runSession(ImapSession session, MailboxConfig mailbox, PollSummary summary, BooleanSupplier stop)
            throws ImapException {
        // Before the folder is opened: checking folders needs the store's connection, which the open folder would hold.
        targets.ensure(session, mailbox);
        try (ImapFolder folder = session.openFolder(mailbox.folder())) {
            long uidValidity = folder.uidValidity();
            FolderState state = folderState(folder, mailbox, uidValidity);
            PostActions post = new PostActions(folder, mailbox, ledger, makeCommitsDurable);
            post.finishPending(uidValidity);

            List<Long> candidates = candidates(folder, mailbox, state);
            int budget = mailbox.maxPerRun() - summary.fetched();
            List<Long> todo = candidates.subList(0, Math.min(candidates.size(), Math.max(0, budget)));
            int committed = 0;
            for (int from = 0; from < todo.size() && !stop.getAsBoolean(); from += BATCH) {
                List<Long> batch = todo.subList(from, Math.min(todo.size(), from + BATCH));
                List<MessageSummary> summaries = folder.summaries(batch);
                PollSummary batchSummary = new PollSummary();
                // One transaction per batch: one commit (and on PostgreSQL one fsync) instead of one per message. If it
                // fails, nothing of the batch is kept, and its messages are taken again by the next run.
                transactions.inTransaction(tx -> {
                    processBatch(tx, folder, summaries, mailbox, uidValidity, batchSummary, stop);
                    return null;
                });
                summary.add(batchSummary);
                // The post-actions of several batches at once: each time costs an fsync (H2) and a MOVE round trip,
                // which the run's thread waits for while the parse pool has nothing to do.
                if (++committed % POST_ACTIONS_EVERY == 0) {
                    faults.beforePostActions();
                    post.finishPending(uidValidity);
                }
            }
            if (committed % POST_ACTIONS_EVERY != 0) {
                faults.beforePostActions();
                post.finishPending(uidValidity);
            }
            if (state.backlogUntilUid().isPresent() && !stop.getAsBoolean() && todo.size() == candidates.size()) {
                ledger.endBacklog(mailbox.id(), mailbox.folder());
            }
        }
    }

    /**
     * The batch's messages, up to a stop request; the caller commits them together, before any post-action. Each
     * message's body is parsed on the parse pool while this thread fetches the next and stores the previous ones.
     */
    private void processBatch(Transaction tx, ImapFolder folder, List<MessageSummary> summaries, MailboxConfig mailbox,
            long uidValidity, PollSummary summary, BooleanSupplier stop) throws ImapException {
        // Recorded by an earlier run that ended before its progress did (a crash, a stop): neither fetched nor taken.
        Set<Long> recorded = ledger.recordedUids(tx, mailbox.id(), mailbox.folder(), uidValidity,
                summaries.stream().map(MessageSummary::uid).toList());
        List<MessageSummary> unrecorded = summaries.stream().filter(m -> !recorded.contains(m.uid())).toList();
        BatchBodies bodies = new BatchBodies(folder, unrecorded, m -> processor.readsBody(m, mailbox));
        ParseAhead.Store store = (taken, mail) -> processor.store(tx, taken, mail, mailbox, summary);
        try (ParseAhead ahead = new ParseAhead(parsers, PARSE_AHEAD_PER_THREAD * parsers.size(), PARSE_AHEAD_BYTES)) {
            for (MessageSummary message : unrecorded) {
                if (stop.getAsBoolean()) {
                    return; // what was taken but not stored is dropped, unrecorded: the next run takes it again
                }
                Optional<MessageProcessor.Taken> taken;
                try {
                    taken = processor.take(bodies, mailbox, uidValidity, message);
                } catch (IOException e) {
                    throw new IllegalStateException("could not store a message: " + e.getMessage(), e);
                }
                if (taken.isPresent()) {
                    ahead.add(taken.get(), t -> processor.parse(t, mailbox), store);
                }
            }
            if (!stop.getAsBoolean()) {
                ahead.storeAll(store);
            }
        }
    }

    /**
     * The folder's progress, started on the first run by the mailbox's initial-sync rule, and restarted when the
     * server changed the folder's UIDVALIDITY (then every message is examined again, and Message-ID / content
     * fingerprints keep what was already ticketed from becoming a second ticket).
     */
    private FolderState folderState(ImapFolder folder, MailboxConfig mailbox, long uidValidity) throws ImapException {
        Optional<FolderState> stored = ledger.folderState(mailbox.id(), mailbox.folder());
        if (stored.isPresent() && stored.get().uidValidity() == uidValidity) {
            return stored.get();
        }
        long newest = folder.uidNext() - 1;
        FolderState fresh;
        if (stored.isPresent()) {
            log.warn("Folder {} changed its UIDVALIDITY from {} to {}: the server renumbered it. Examining it again; "
                    + "messages already ticketed are recognised by Message-ID and not ticketed twice",
                    mailbox.folder(), stored.get().uidValidity(), uidValidity);
            fresh = new FolderState(uidValidity, 0, Optional.of(newest));
        } else if (mailbox.initialSync() instanceof InitialSync.OnlyNew) {
            fresh = new FolderState(uidValidity, newest, Optional.empty());
        } else if (mailbox.initialSync() instanceof InitialSync.All) {
            fresh = new FolderState(uidValidity, 0, Optional.empty());
        } else {
            fresh = new FolderState(uidValidity, 0, Optional.of(newest));
        }
        ledger.resetFolder(mailbox.id(), mailbox.folder(), fresh);
        if (stored.isEmpty()) {
            log.info("First collection of folder {}: initial-sync {} (UIDs up to {} are the existing mail)",
                    mailbox.folder(), mailbox.initialSync(), newest);
        }
        return fresh;
    }

    /** UIDs to handle, ascending: the backlog's matches first, then everything newer than the backlog. */
    private List<Long> candidates(ImapFolder folder, MailboxConfig mailbox, FolderState state) throws ImapException {
        int limit = mailbox.maxPerRun();
        if (state.backlogUntilUid().isEmpty() || state.lastUid() >= state.backlogUntilUid().get()) {
            return folder.uidsAfter(state.lastUid(), limit);
        }
        long backlogEnd = state.backlogUntilUid().get();
        List<Long> result = new ArrayList<>();
        for (long uid : backlogMatches(folder, mailbox)) {
            if (uid > state.lastUid() && uid <= backlogEnd) {
                result.add(uid);
            }
        }
        result.sort(null);
        if (result.size() < limit) {
            result.addAll(folder.uidsAfter(backlogEnd, limit - result.size()));
        }
        return result.size() > limit ? result.subList(0, limit) : result;
    }

    private List<Long> backlogMatches(ImapFolder folder, MailboxConfig mailbox) throws ImapException {
        InitialSync rule = mailbox.initialSync();
        if (rule instanceof InitialSync.UnreadWithin within) {
            Instant since = clock.instant().minus(within.period());
            return folder.searchUnread(Optional.of(since));
        }
        if (rule instanceof InitialSync.All) {
            // Only after a UIDVALIDITY restart: everything again; what was ticketed is recognised as a duplicate.
            return folder.uidsAfter(0, Integer.MAX_VALUE);
        }
        // Unread; or a "new" mailbox after a UIDVALIDITY restart, where unread mail is what may not have been handled.
        return folder.searchUnread(Optional.empty());
    }
}
