package dev.intake.app.ledger;

import static dev.intake.app.store.Columns.nullToEmpty;
import static dev.intake.app.store.Columns.optionalLong;
import static dev.intake.app.store.Columns.truncate;

import dev.intake.app.mail.RefusalReason;
import dev.intake.app.spool.Spool;
import dev.intake.app.store.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The collection ledger: what Intake has seen, decided and acted on, per mailbox and folder. A folder's progress
 * (UIDVALIDITY, last UID, the initial backlog), one record per collected message (its outcome, the ticket it became,
 * whether its server-side action is still to be done) and the originals of refused mail. A message's record commits in
 * the same {@link Transaction} as its ticket or followup, so a crash leaves a message either unhandled (taken again)
 * or handled exactly once.
 */
public final class LedgerStore implements LedgerQueries {

    /** The record columns for {@link #processed}, without the kept original itself. */
    private static final String RECORD_COLUMNS = "id, mailbox_id, folder, uid_validity, uid, message_id, outcome, reason, "
            + "detail, subject, sender, ticket_id, (raw IS NOT NULL) AS raw_kept, post_action_pending, processed_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public LedgerStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    // ---- a folder's progress ---------------------------------------------------------------------------------

    public Optional<FolderState> folderState(String mailboxId, String folder) {
        return jdbi.withHandle(h -> h.createQuery("SELECT uid_validity, last_uid, backlog_until_uid FROM folder_state "
                        + "WHERE mailbox_id = :m AND folder = :f")
                .bind("m", mailboxId).bind("f", folder)
                .map((rs, ctx) -> new FolderState(rs.getLong(1), rs.getLong(2), optionalLong(rs, "backlog_until_uid")))
                .findOne());
    }

    /** Starts (or, after a UIDVALIDITY change, restarts) a folder's progress. */
    public void resetFolder(String mailboxId, String folder, FolderState state) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM folder_state WHERE mailbox_id = :m AND folder = :f")
                    .bind("m", mailboxId).bind("f", folder).execute();
            h.createUpdate("INSERT INTO folder_state (mailbox_id, folder, uid_validity, last_uid, backlog_until_uid, updated_at) "
                            + "VALUES (:m, :f, :v, :last, :backlog, :now)")
                    .bind("m", mailboxId).bind("f", folder).bind("v", state.uidValidity()).bind("last", state.lastUid())
                    .bind("backlog", state.backlogUntilUid().orElse(null)).bind("now", clock.instant()).execute();
        });
    }

    /** The backlog is done: from now on every new UID is taken. */
    public void endBacklog(String mailboxId, String folder) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE folder_state SET last_uid = GREATEST(last_uid, backlog_until_uid), "
                        + "backlog_until_uid = NULL, updated_at = :now WHERE mailbox_id = :m AND folder = :f "
                        + "AND backlog_until_uid IS NOT NULL")
                .bind("m", mailboxId).bind("f", folder).bind("now", clock.instant()).execute());
    }

    /** The folder holds a message Intake skipped because it is older than initial-sync takes. */
    public void skip(MessageKey key) {
        jdbi.useHandle(h -> advance(h, key));
    }

    private void advance(Handle h, MessageKey key) {
        h.createUpdate("UPDATE folder_state SET last_uid = GREATEST(last_uid, :uid), updated_at = :now "
                        + "WHERE mailbox_id = :m AND folder = :f AND uid_validity = :v")
                .bind("uid", key.uid()).bind("now", clock.instant()).bind("m", key.mailboxId()).bind("f", key.folder())
                .bind("v", key.uidValidity()).execute();
    }

    // ---- records, written with the ticket in the batch's transaction -------------------------------------------

    /** Records what became of a message and moves the folder's progress past it; its post-action is then pending. */
    public void record(Transaction tx, MessageKey key, MessageFacts facts, Decision decision) {
        Long followup = decision instanceof Decision.Followup f ? f.followupId() : null;
        RefusalReason reason = decision instanceof Decision.Refused r ? r.reason() : null;
        Spool original = decision instanceof Decision.Refused r ? r.original().orElse(null) : null;
        insert(tx.handle(), key, facts, decision.outcome(), reason, decision.detail().orElse(null),
                decision.ticket().orElse(null), followup, original);
        advance(tx.handle(), key);
    }

    private void insert(Handle h, MessageKey key, MessageFacts facts, Outcome outcome, RefusalReason reason, String detail,
            Long ticket, Long followup, Spool original) {
        try (InputStream raw = original == null ? null : original.openStream()) {
            var insert = h.createUpdate("INSERT INTO processed_message (mailbox_id, folder, uid_validity, uid, message_id, "
                            + "fingerprint, outcome, reason, detail, subject, sender, ticket_id, followup_id, raw, "
                            + "post_action_pending, processed_at) VALUES (:m, :f, :v, :u, :mid, :fp, :o, :r, :d, :s, :from, "
                            + ":t, :fu, :raw, TRUE, :now)")
                    .bind("m", key.mailboxId()).bind("f", key.folder()).bind("v", key.uidValidity()).bind("u", key.uid())
                    .bind("mid", facts.messageId().map(id -> truncate(id, 998)).orElse(null))
                    .bind("fp", facts.fingerprint().orElse(null))
                    .bind("o", outcome.name()).bind("r", reason == null ? null : reason.name()).bind("d", detail)
                    .bind("s", truncate(facts.subject(), 2000)).bind("from", truncate(facts.sender(), 320))
                    .bind("t", ticket).bind("fu", followup).bind("now", clock.instant());
            if (original == null) {
                insert.bind("raw", (byte[]) null);
            } else {
                insert.bindBinaryStream("raw", raw, Spool.lengthForDatabase(original));
            }
            insert.execute();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the original message to keep it", e);
        }
    }

    // ---- what collection asks while it decides (inside the batch's transaction) --------------------------------

    /**
     * Which of these UIDs of a folder (at this UIDVALIDITY) have a record: those are not taken again. One query per
     * batch rather than one per message.
     */
    public Set<Long> recordedUids(Transaction tx, String mailboxId, String folder, long uidValidity, Collection<Long> uids) {
        if (uids.isEmpty()) {
            return Set.of();
        }
        // A range, not "uid IN (...)": H2 reads a range of the unique index, but for an IN list it chose another
        // index and tested every record of the mailbox, a cost that grew with the mailbox.
        Set<Long> wanted = Set.copyOf(uids);
        return tx.handle().createQuery("SELECT uid FROM processed_message WHERE mailbox_id = :m AND folder = :f "
                        + "AND uid_validity = :v AND uid BETWEEN :lowest AND :highest")
                .bind("m", mailboxId).bind("f", folder).bind("v", uidValidity)
                .bind("lowest", Collections.min(uids)).bind("highest", Collections.max(uids))
                .mapTo(Long.class).filter(wanted::contains).collect(Collectors.toSet());
    }

    /** The ticket a message with this Message-ID (or these exact bytes) already became in this mailbox, if any. */
    public Optional<Long> ticketOfSameMessage(Transaction tx, String mailboxId, Optional<String> messageId, String fingerprint) {
        Handle h = tx.handle();
        if (messageId.isPresent()) {
            Optional<Long> byId = h.createQuery("SELECT ticket_id FROM processed_message WHERE mailbox_id = :m "
                            + "AND message_id = :id AND ticket_id IS NOT NULL ORDER BY id")
                    .bind("m", mailboxId).bind("id", messageId.get()).mapTo(Long.class).findFirst();
            if (byId.isPresent()) {
                return byId;
            }
        }
        return h.createQuery("SELECT ticket_id FROM processed_message WHERE mailbox_id = :m AND fingerprint = :fp "
                        + "AND ticket_id IS NOT NULL ORDER BY id")
                .bind("m", mailboxId).bind("fp", fingerprint).mapTo(Long.class).findFirst();
    }

    /** The ticket whose mail (opening message or a followup) carried this Message-ID, in any mailbox. */
    public Optional<Long> ticketByMessageId(Transaction tx, String messageId) {
        return tx.handle().createQuery("SELECT ticket_id FROM processed_message WHERE message_id = :id "
                        + "AND ticket_id IS NOT NULL ORDER BY id")
                .bind("id", messageId).mapTo(Long.class).findFirst();
    }

    // ---- post-actions ----------------------------------------------------------------------------------------

    /** Messages whose outcome is committed but whose server-side action has not been confirmed yet. */
    public List<ProcessedMessage> pendingPostActions(String mailboxId, String folder, long uidValidity) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RECORD_COLUMNS + " FROM processed_message WHERE mailbox_id = :m "
                        + "AND folder = :f AND uid_validity = :v AND post_action_pending = TRUE ORDER BY uid")
                .bind("m", mailboxId).bind("f", folder).bind("v", uidValidity).map(LedgerStore::processed).list());
    }

    public void postActionsDone(List<Long> recordIds) {
        if (recordIds.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE processed_message SET post_action_pending = FALSE WHERE id IN (<ids>)")
                .bindList("ids", recordIds).execute());
    }

    // ---- import anyway ---------------------------------------------------------------------------------------

    /** A refused message's record and kept original. */
    public Optional<RefusedOriginal> refusedOriginal(long recordId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RECORD_COLUMNS + ", raw FROM processed_message WHERE id = :id")
                .bind("id", recordId)
                .map((rs, ctx) -> new RefusedOriginal(processed(rs, ctx), rs.getBytes("raw")))
                .findOne());
    }

    /**
     * A refusal became a ticket after all: the record says TICKET, keeps the original reason in its detail, and drops
     * the kept original. The record is locked first, so two admins importing at once make one ticket.
     *
     * @return false when the record is no longer a refusal (imported meanwhile); the caller's transaction then rolls back
     */
    public boolean markImported(Transaction tx, long recordId, long ticket, String importedBy) {
        Optional<ProcessedMessage> row = tx.handle().createQuery("SELECT " + RECORD_COLUMNS + " FROM processed_message "
                        + "WHERE id = :id FOR UPDATE")
                .bind("id", recordId).map(LedgerStore::processed).findOne();
        if (row.isEmpty() || row.get().outcome() != Outcome.REFUSED) {
            return false;
        }
        tx.handle().createUpdate("UPDATE processed_message SET outcome = :o, ticket_id = :t, raw = NULL, detail = :d "
                        + "WHERE id = :id")
                .bind("o", Outcome.TICKET.name()).bind("t", ticket)
                .bind("d", "Imported by " + importedBy + " after it was refused ("
                        + row.get().reason().map(Enum::name).orElse("?") + ": " + row.get().detail().orElse("") + ")")
                .bind("id", recordId).execute();
        return true;
    }

    // ---- what the admin and the reconciliation read ----------------------------------------------------------

    @Override
    public List<ProcessedMessage> processed(String mailboxId, Optional<Outcome> outcome, int limit) {
        return jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT " + RECORD_COLUMNS + " FROM processed_message WHERE mailbox_id = :m"
                    + (outcome.isPresent() ? " AND outcome = :o" : "") + " ORDER BY id DESC LIMIT :limit");
            q.bind("m", mailboxId).bind("limit", limit);
            outcome.ifPresent(o -> q.bind("o", o.name()));
            return q.map(LedgerStore::processed).list();
        });
    }

    @Override
    public Map<Outcome, Integer> outcomeCounts(String mailboxId) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        jdbi.useHandle(h -> h.createQuery("SELECT outcome, COUNT(*) AS n FROM processed_message WHERE mailbox_id = :m "
                        + "GROUP BY outcome")
                .bind("m", mailboxId)
                .map((rs, ctx) -> Map.entry(Outcome.valueOf(rs.getString("outcome")), rs.getInt("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    /** Which of these Message-IDs some record of this mailbox carries, whatever became of the message. */
    public Set<String> recordedMessageIds(String mailboxId, Collection<String> messageIds) {
        return recorded(Optional.of(mailboxId), "message_id", messageIds);
    }

    /** Which of these Message-IDs a record of any mailbox carries. */
    public Set<String> recordedMessageIdsInAnyMailbox(Collection<String> messageIds) {
        return recorded(Optional.empty(), "message_id", messageIds);
    }

    /** Which of these content fingerprints (SHA-256 of the raw message) some record of this mailbox carries. */
    public Set<String> recordedFingerprints(String mailboxId, Collection<String> fingerprints) {
        return recorded(Optional.of(mailboxId), "fingerprint", fingerprints);
    }

    private Set<String> recorded(Optional<String> mailboxId, String column, Collection<String> values) {
        // The mailbox is checked here, not in SQL: with "AND mailbox_id = :m", H2 preferred an index on the mailbox
        // and read every record it had, where the value's own index reads just the records that carry it.
        String sql = "SELECT DISTINCT " + column + ", mailbox_id FROM processed_message WHERE " + column + " IN (<values>)";
        Set<String> found = new HashSet<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(values));
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            jdbi.useHandle(h -> h.createQuery(sql).bindList("values", chunk)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(row -> {
                        if (mailboxId.isEmpty() || mailboxId.get().equals(row.getValue())) {
                            found.add(row.getKey());
                        }
                    }));
        }
        return found;
    }

    private static ProcessedMessage processed(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ProcessedMessage(
                rs.getLong("id"),
                new MessageKey(rs.getString("mailbox_id"), rs.getString("folder"), rs.getLong("uid_validity"), rs.getLong("uid")),
                Optional.ofNullable(rs.getString("message_id")),
                Outcome.valueOf(rs.getString("outcome")),
                Optional.ofNullable(rs.getString("reason")).map(RefusalReason::valueOf),
                Optional.ofNullable(rs.getString("detail")),
                nullToEmpty(rs.getString("subject")),
                nullToEmpty(rs.getString("sender")),
                optionalLong(rs, "ticket_id"),
                rs.getBoolean("raw_kept"),
                rs.getBoolean("post_action_pending"),
                rs.getTimestamp("processed_at").toInstant());
    }
}
