package dev.intake.app.reconcile;

import dev.intake.app.collect.MailboxSessions;
import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapFolder;
import dev.intake.app.imap.ImapSession;
import dev.intake.app.imap.MessageSummary;
import dev.intake.app.mail.MessageIds;
import dev.intake.app.spool.Spool;
import dev.intake.app.ledger.FolderState;
import dev.intake.app.ledger.LedgerStore;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.PostAction;
import dev.intake.config.ProviderConfig;
import dev.intake.provider.ProviderException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net for what no database can promise (a disk that lies about fsync, a database restored from an older
 * backup): compares the mail in the folders Intake moves mail to ({@code accepted-folder}, {@code refused-folder}),
 * received within {@code operations.reconcile-window}, with the processed-message records, and reports every message
 * that sits there without one: Intake moved it on the strength of a commit the database no longer has, so it may be
 * missing from the helpdesk. Messages are matched by Message-ID, and by the SHA-256 of their content when they have
 * none. Re-importing moves them back to the collected folder, where the next run takes them like new mail.
 *
 * <p>Only folders Intake moves mail to can be checked: with {@code post-action: seen} a lost record leaves the message
 * in the collected folder with its UID not yet passed, and the next run takes it again; with {@code delete} nothing
 * is left to compare.
 */
public final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Supplier<IntakeConfig> config;
    private final MailboxSessions sessions;
    private final LedgerStore records;
    private final ReconciliationStore store;
    private final Clock clock;

    public Reconciler(Supplier<IntakeConfig> config, MailboxSessions sessions, LedgerStore records, ReconciliationStore store,
            Clock clock) {
        this.config = config;
        this.sessions = sessions;
        this.records = records;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Checks every mailbox that moves mail and is authorized; a mailbox that cannot be checked is recorded so. Mail
     * that a recovery set aside and could not put back (see {@link #requeueBehind}) goes back to the collected folder
     * first: after a clean stop no recovery would ever empty the holding folder. (Only here and in recovery: never
     * while a recovery is setting mail aside, and never in an admin's check, which only reports.)
     */
    public void checkAll(Set<String> authorized) {
        for (MailboxConfig mailbox : config.get().mailboxes()) {
            if (authorized.contains(mailbox.id()) && !folders(mailbox).isEmpty()) {
                check(mailbox.id(), true);
            }
        }
    }

    /** Checks one mailbox now, records and logs the outcome. */
    public Reconciliation check(String mailboxId) {
        return check(mailboxId, false);
    }

    private Reconciliation check(String mailboxId, boolean returnSetAside) {
        MailboxConfig mailbox = mailbox(mailboxId);
        Instant now = clock.instant();
        Instant since = now.minus(config.get().operations().reconcileWindow());
        Reconciliation result;
        try {
            result = compare(mailbox, since, now, returnSetAside);
        } catch (ProviderException | ImapException | RuntimeException e) {
            result = new Reconciliation(mailboxId, now, since, 0, List.of(), Optional.of(e.getMessage()));
            log.warn("Could not compare the folders of mailbox '{}' with the records: {}", mailboxId, e.getMessage());
        }
        store.save(result);
        if (result.error().isEmpty()) {
            report(mailbox, result);
        }
        return result;
    }

    /**
     * Moves the messages the last check found without a record back to the collected folder, after making sure each
     * is still the same message (UIDVALIDITY, UID and Message-ID); the next run collects them.
     *
     * @return how many were moved back
     */
    public int reimport(String mailboxId) throws ProviderException, ImapException {
        return reimport(mailboxId, store.unrecorded(mailboxId));
    }

    /**
     * After a node on an H2 file ended without a clean shutdown (see {@link dev.intake.app.store.RunMarker}): checks
     * the mailbox and re-imports, without waiting for an admin, what the database lost. Left for the admin instead:
     * a message whose Message-ID another mailbox's record carries (a mailbox renamed in the configuration would
     * otherwise have a week of mail re-imported), and everything when more than {@link #MAX_AUTOMATIC_REIMPORT}
     * messages lack a record (that is not what a crash leaves behind).
     *
     * @return how many were moved back
     */
    public int recover(String mailboxId) throws ProviderException, ImapException {
        // Mail a recovery interrupted by the crash had set aside (see requeueBehind) is new mail again first.
        Reconciliation r = check(mailboxId, true);
        if (r.error().isPresent()) {
            throw new ReconciliationFailedException(r.error().get());
        }
        if (r.unrecorded().isEmpty()) {
            return 0;
        }
        if (r.unrecorded().size() > MAX_AUTOMATIC_REIMPORT) {
            log.warn("Mailbox '{}': {} messages have no record, more than a crash leaves behind; not re-importing them "
                    + "without an admin (mailbox page or `intake reconcile {}`)", mailboxId, r.unrecorded().size(), mailboxId);
            return 0;
        }
        Set<String> elsewhere = records.recordedMessageIdsInAnyMailbox(r.unrecorded().stream()
                .flatMap(u -> u.messageId().stream()).toList());
        List<UnrecordedMessage> lost = r.unrecorded().stream()
                .filter(u -> u.messageId().map(id -> !elsewhere.contains(id)).orElse(true)).toList();
        // No run of the mailbox takes its mail meanwhile: the node holds its runs until this first recovery attempt
        // is over (RecoveryGate), and on H2 no other process can open the database to run one.
        int moved = requeueBehind(mailboxId, lost);
        log.warn("Mailbox '{}': the last run ended without a clean shutdown and the database had lost the record of {} "
                + "message(s) already moved on the server; they were moved back to {} and are collected again",
                mailboxId, moved, mailbox(mailboxId).folder());
        return moved;
    }

    /**
     * Moves what the database lost back to the collected folder <em>ahead of</em> the mail that arrived after it. A
     * message moved back gets a UID above every message already waiting there, and collection takes UIDs in order:
     * a reply waiting in INBOX would be collected before the request it answers, which the crash sent back, and
     * become a ticket of its own. So the waiting mail steps aside into a holding folder, the lost messages go back,
     * and the waiting mail follows them. A crash in between leaves the waiting mail in the holding folder, which the
     * next recovery (the crash makes one) empties first.
     */
    private int requeueBehind(String mailboxId, List<UnrecordedMessage> lost) throws ProviderException, ImapException {
        MailboxConfig mailbox = mailbox(mailboxId);
        String holding = holdingFolder(mailbox);
        Optional<FolderState> state = records.folderState(mailboxId, mailbox.folder());
        boolean backlog = state.flatMap(FolderState::backlogUntilUid).filter(until -> state.get().lastUid() < until)
                .isPresent();
        List<Long> waiting = List.of();
        try (ImapSession session = sessions.open(mailbox, provider(mailbox))) {
            // During an initial sync some waiting mail is skipped on purpose; moving it would make it new mail.
            if (state.isPresent() && !backlog && !lost.isEmpty()) {
                try (ImapFolder collected = session.openFolder(mailbox.folder())) {
                    if (collected.uidValidity() == state.get().uidValidity()) {
                        waiting = collected.uidsAfter(state.get().lastUid(), Integer.MAX_VALUE);
                        if (!waiting.isEmpty()) {
                            session.ensureFolder(holding, true);
                            collected.moveTo(waiting, holding);
                        }
                    }
                }
            }
        }
        int moved = reimport(mailboxId, lost);
        if (!waiting.isEmpty()) {
            try (ImapSession session = sessions.open(mailbox, provider(mailbox))) {
                returnHeld(session, holding, mailbox.folder());
            }
            log.info("Mailbox '{}': {} message(s) that arrived after the lost ones follow them again in {}", mailboxId,
                    waiting.size(), mailbox.folder());
        }
        return moved;
    }

    private static void returnHeld(ImapSession session, String holding, String collected) throws ImapException {
        if (!session.folderExists(holding)) {
            return;
        }
        try (ImapFolder held = session.openFolder(holding)) {
            List<Long> all = held.uidsAfter(0, Integer.MAX_VALUE);
            if (!all.isEmpty()) {
                held.moveTo(all, collected);
                log.info("Moved {} message(s) a recovery had set aside in {} back to {}; they are collected as new mail",
                        all.size(), holding, collected);
            }
        }
    }

    /** Beside the accepted folder, named so that an admin who sees it knows whose it is. */
    static String holdingFolder(MailboxConfig mailbox) {
        return mailbox.acceptedFolder().or(mailbox::refusedFolder).orElse("Intake") + "-recovering";
    }

    /** More unrecorded messages than this after a crash are left for an admin to look at. */
    static final int MAX_AUTOMATIC_REIMPORT = 1_000;

    private int reimport(String mailboxId, List<UnrecordedMessage> which) throws ProviderException, ImapException {
        MailboxConfig mailbox = mailbox(mailboxId);
        Map<String, List<UnrecordedMessage>> byFolder = which.stream()
                .collect(Collectors.groupingBy(UnrecordedMessage::folder, LinkedHashMap::new, Collectors.toList()));
        if (byFolder.isEmpty()) {
            return 0;
        }
        int moved = 0;
        try (ImapSession session = sessions.open(mailbox, provider(mailbox))) {
            for (Map.Entry<String, List<UnrecordedMessage>> e : byFolder.entrySet()) {
                if (!session.folderExists(e.getKey())) {
                    continue;
                }
                try (ImapFolder folder = session.openFolder(e.getKey())) {
                    List<Long> still = stillThere(folder, e.getValue());
                    folder.moveTo(still, mailbox.folder());
                    store.forget(mailboxId, e.getKey(), e.getValue().stream().map(UnrecordedMessage::uid).toList());
                    moved += still.size();
                }
            }
        }
        log.info("Moved {} message(s) without a record back to {} of mailbox '{}'; the next run collects them", moved,
                mailbox.folder(), mailboxId);
        return moved;
    }

    private List<Long> stillThere(ImapFolder folder, List<UnrecordedMessage> found) throws ImapException {
        long uidValidity = folder.uidValidity();
        Map<Long, UnrecordedMessage> byUid = new LinkedHashMap<>();
        found.stream().filter(u -> u.uidValidity() == uidValidity).forEach(u -> byUid.put(u.uid(), u));
        List<Long> still = new ArrayList<>();
        for (MessageSummary s : folder.summaries(List.copyOf(byUid.keySet()))) {
            UnrecordedMessage u = byUid.get(s.uid());
            if (u != null && u.messageId().equals(s.messageId().flatMap(MessageIds::messageId))) {
                still.add(s.uid());
            }
        }
        return still;
    }

    private Reconciliation compare(MailboxConfig mailbox, Instant since, Instant now, boolean returnSetAside)
            throws ProviderException, ImapException {
        List<UnrecordedMessage> unrecorded = new ArrayList<>();
        int checked = 0;
        try (ImapSession session = sessions.open(mailbox, provider(mailbox))) {
            if (returnSetAside) {
                returnHeld(session, holdingFolder(mailbox), mailbox.folder());
            }
            for (String name : folders(mailbox)) {
                if (!session.folderExists(name)) {
                    continue;
                }
                try (ImapFolder folder = session.openFolder(name)) {
                    long uidValidity = folder.uidValidity();
                    List<MessageSummary> found = folder.receivedSince(since);
                    checked += found.size();
                    for (MessageSummary s : withoutRecord(mailbox, folder, found)) {
                        unrecorded.add(new UnrecordedMessage(mailbox.id(), name, uidValidity, s.uid(),
                                s.messageId().flatMap(MessageIds::messageId), s.subject().orElse(""), s.from().orElse(""),
                                s.receivedAt(), s.size()));
                    }
                }
            }
        }
        return new Reconciliation(mailbox.id(), now, since, checked, unrecorded, Optional.empty());
    }

    /** The messages no record of the mailbox accounts for. */
    private List<MessageSummary> withoutRecord(MailboxConfig mailbox, ImapFolder folder, List<MessageSummary> found)
            throws ImapException {
        Set<String> ids = new LinkedHashSet<>();
        List<MessageSummary> withoutId = new ArrayList<>();
        for (MessageSummary s : found) {
            Optional<String> id = s.messageId().flatMap(MessageIds::messageId);
            if (id.isPresent()) {
                ids.add(id.get());
                // A message refused for its size alone is recorded with the id as the server's summary wrote it.
                ids.add(s.messageId().get());
            } else {
                withoutId.add(s);
            }
        }
        Set<String> recordedIds = records.recordedMessageIds(mailbox.id(), ids);
        List<MessageSummary> missing = new ArrayList<>();
        for (MessageSummary s : found) {
            Optional<String> id = s.messageId().flatMap(MessageIds::messageId);
            if (id.isPresent() && !recordedIds.contains(id.get()) && !recordedIds.contains(s.messageId().get())) {
                missing.add(s);
            }
        }
        missing.addAll(withoutFingerprintRecord(mailbox, folder, withoutId));
        missing.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return missing;
    }

    /**
     * Messages without a Message-ID are matched by their content's SHA-256, as duplicate detection does. One larger
     * than {@code max-message-size} was refused unread, so it has no fingerprint on record: it cannot be told apart
     * and is left out.
     */
    private List<MessageSummary> withoutFingerprintRecord(MailboxConfig mailbox, ImapFolder folder, List<MessageSummary> found)
            throws ImapException {
        Map<String, MessageSummary> byFingerprint = new LinkedHashMap<>();
        for (MessageSummary s : found) {
            if (s.size() > mailbox.maxMessageSize()) {
                continue;
            }
            Spool raw = folder.rawMessages(List.of(s.uid())).get(s.uid());
            if (raw != null) {
                byFingerprint.put(raw.sha256Hex(), s); // the fingerprint the parser records
            }
        }
        Set<String> recorded = records.recordedFingerprints(mailbox.id(), byFingerprint.keySet());
        return byFingerprint.entrySet().stream().filter(e -> !recorded.contains(e.getKey())).map(Map.Entry::getValue).toList();
    }

    private void report(MailboxConfig mailbox, Reconciliation r) {
        if (r.unrecorded().isEmpty()) {
            log.info("Compared {} message(s) in the accepted and refused folders of mailbox '{}' (received since {}) "
                    + "with the records: every one is accounted for", r.checked(), mailbox.id(), r.since());
            return;
        }
        log.warn("{} message(s) in the folders of mailbox '{}' have no record of Intake handling them, so they may be "
                + "missing from the helpdesk: {}. Re-import them with `intake reconcile {}` or the mailbox page's "
                + "Re-import button.", r.unrecorded().size(), mailbox.id(), r.unrecorded().stream().limit(10)
                .map(u -> u.folder() + " UID " + u.uid() + u.messageId().map(id -> " " + id).orElse(""))
                .collect(Collectors.joining(", ")) + (r.unrecorded().size() > 10 ? ", ..." : ""), mailbox.id());
    }

    /** Whether the mailbox is configured and moves mail to a folder this class can check. */
    public boolean moves(String mailboxId) {
        return config.get().mailbox(mailboxId).map(m -> !folders(m).isEmpty()).orElse(false);
    }

    /** The folders a mailbox moves mail to; none for post-action seen or delete without a refused folder. */
    public static List<String> folders(MailboxConfig mailbox) {
        Set<String> folders = new LinkedHashSet<>();
        if (mailbox.postAction() == PostAction.MOVE) {
            mailbox.acceptedFolder().ifPresent(folders::add);
        }
        mailbox.refusedFolder().ifPresent(folders::add);
        return List.copyOf(folders);
    }

    private MailboxConfig mailbox(String mailboxId) {
        return config.get().mailbox(mailboxId).orElseThrow(() -> new IllegalArgumentException(
                "mailbox '" + mailboxId + "' is not configured"));
    }

    private ProviderConfig provider(MailboxConfig mailbox) {
        return config.get().provider(mailbox.provider()).orElseThrow(() -> new IllegalStateException(
                "provider '" + mailbox.provider() + "' is not configured"));
    }
}
