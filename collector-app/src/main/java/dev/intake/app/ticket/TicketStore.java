package dev.intake.app.ticket;

import dev.intake.app.spool.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Writes what collection decides. A message is all or nothing: its ticket or followup, their attachments, the
 * processed-message record and the folder's progress commit together, so a crash at any point either leaves the
 * message unhandled (and it is taken again) or handled exactly once. Collection commits a batch of messages at a
 * time ({@link #inOneTransaction}); the write methods join that transaction, or make their own outside one.
 */
public final class TicketStore {

    /** The processed-message columns for {@link #processed}, without the raw content itself. */
    static final String PROCESSED_COLUMNS = "id, mailbox_id, folder, uid_validity, uid, message_id, outcome, reason, detail, "
            + "subject, sender, ticket_id, (raw IS NOT NULL) AS raw_kept, post_action_pending, processed_at";
    private static final String MESSAGE_SAVEPOINT = "message";

    private final Jdbi jdbi;
    private final Clock clock;

    public TicketStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    // ---- folder progress -------------------------------------------------------------------------------------

    public Optional<FolderState> folderState(String mailboxId, String folder) {
        return jdbi.withHandle(h -> h.createQuery("SELECT uid_validity, last_uid, backlog_until_uid FROM folder_state "
                        + "WHERE mailbox_id = :m AND folder = :f")
                .bind("m", mailboxId).bind("f", folder)
                .map((rs, ctx) -> new FolderState(rs.getLong(1), rs.getLong(2), optionalLong(rs, 3)))
                .findOne());
    }

    /** Starts (or, after a UIDVALIDITY change, restarts) a folder's progress. */
    public void resetFolder(String mailboxId, String folder, FolderState state) {
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM folder_state WHERE mailbox_id = :m AND folder = :f")
                    .bind("m", mailboxId).bind("f", folder).execute();
            h.createUpdate("INSERT INTO folder_state (mailbox_id, folder, uid_validity, last_uid, backlog_until_uid, updated_at) "
                            + "VALUES (:m, :f, :v, :last, :backlog, :now)")
                    .bind("m", mailboxId).bind("f", folder).bind("v", state.uidValidity()).bind("last", state.lastUid())
                    .bind("backlog", state.backlogUntilUid().orElse(null)).bind("now", now).execute();
        });
    }

    /** The backlog is done: from now on every new UID is taken. */
    public void endBacklog(String mailboxId, String folder) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE folder_state SET last_uid = GREATEST(last_uid, backlog_until_uid), "
                        + "backlog_until_uid = NULL, updated_at = :now WHERE mailbox_id = :m AND folder = :f "
                        + "AND backlog_until_uid IS NOT NULL")
                .bind("m", mailboxId).bind("f", folder).bind("now", clock.instant()).execute());
    }

    private void advance(Handle h, MessageKey key) {
        h.createUpdate("UPDATE folder_state SET last_uid = GREATEST(last_uid, :uid), updated_at = :now "
                        + "WHERE mailbox_id = :m AND folder = :f AND uid_validity = :v")
                .bind("uid", key.uid()).bind("now", clock.instant()).bind("m", key.mailboxId()).bind("f", key.folder())
                .bind("v", key.uidValidity()).execute();
    }

    // ---- lookups collection needs ------------------------------------------------------------------------------

    public boolean isProcessed(MessageKey key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM processed_message WHERE mailbox_id = :m "
                        + "AND folder = :f AND uid_validity = :v AND uid = :u")
                .bind("m", key.mailboxId()).bind("f", key.folder()).bind("v", key.uidValidity()).bind("u", key.uid())
                .mapTo(Integer.class).one() > 0);
    }

    /** The ticket a message with this Message-ID (or these exact bytes) already became in this mailbox, if any. */
    public Optional<Long> ticketOfSameMessage(String mailboxId, Optional<String> messageId, String fingerprint) {
        return jdbi.withHandle(h -> {
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
        });
    }

    /** Which of these Message-IDs some record of this mailbox carries, whatever became of the message. */
    public java.util.Set<String> recordedMessageIds(String mailboxId, java.util.Collection<String> messageIds) {
        return recorded(Optional.of(mailboxId), "message_id", messageIds);
    }

    /** Which of these Message-IDs a record of any mailbox carries. */
    public java.util.Set<String> recordedMessageIdsInAnyMailbox(java.util.Collection<String> messageIds) {
        return recorded(Optional.empty(), "message_id", messageIds);
    }

    /** Which of these content fingerprints (SHA-256 of the raw message) some record of this mailbox carries. */
    public java.util.Set<String> recordedFingerprints(String mailboxId, java.util.Collection<String> fingerprints) {
        return recorded(Optional.of(mailboxId), "fingerprint", fingerprints);
    }

    private java.util.Set<String> recorded(Optional<String> mailboxId, String column, java.util.Collection<String> values) {
        String sql = "SELECT DISTINCT " + column + " FROM processed_message WHERE " + column + " IN (<values>)"
                + (mailboxId.isPresent() ? " AND mailbox_id = :m" : "");
        java.util.Set<String> found = new java.util.HashSet<>();
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(values));
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            found.addAll(jdbi.withHandle(h -> {
                var query = h.createQuery(sql).bindList("values", chunk);
                mailboxId.ifPresent(m -> query.bind("m", m));
                return query.mapTo(String.class).list();
            }));
        }
        return found;
    }

    /** The ticket whose mail (opening message or a followup) carried this Message-ID, in any mailbox. */
    public Optional<Long> ticketByMessageId(String messageId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT ticket_id FROM processed_message WHERE message_id = :id "
                        + "AND ticket_id IS NOT NULL ORDER BY id")
                .bind("id", messageId).mapTo(Long.class).findFirst());
    }

    public boolean ticketExists(long number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM ticket WHERE id = :id").bind("id", number)
                .mapTo(Integer.class).one() > 0);
    }

    // ---- transactions ---------------------------------------------------------------------------------------

    /** Work that may fail with one checked exception. */
    @FunctionalInterface
    public interface Work<X extends Exception> {
        void run() throws X;
    }

    /**
     * Runs a batch's work in one transaction: everything the store reads and writes on this thread meanwhile joins
     * it, and it commits when the work returns (one commit, and on PostgreSQL one fsync, per batch instead of per
     * message). If the work fails, nothing of it is kept, and the batch's messages are taken again by the next run.
     */
    public <X extends Exception> void inOneTransaction(Work<X> work) throws X {
        jdbi.useTransaction(h -> work.run());
    }

    /**
     * Runs one message's lookups and writes so that, inside a batch's transaction, a failure undoes its writes
     * alone and the batch can go on (a savepoint; PostgreSQL refuses every further statement of a transaction after
     * a failed one until it is rolled back to a savepoint). Outside a transaction the work runs as it is.
     */
    public void undoingOnFailure(Runnable work) {
        jdbi.useHandle(h -> {
            if (!h.isInTransaction()) {
                work.run();
                return;
            }
            h.savepoint(MESSAGE_SAVEPOINT);
            try {
                work.run();
            } catch (RuntimeException e) {
                try {
                    h.rollbackToSavepoint(MESSAGE_SAVEPOINT);
                } catch (RuntimeException rollback) {
                    // The connection is likely gone; the batch fails, and the message's own error says why.
                    e.addSuppressed(rollback);
                }
                throw e;
            }
            h.releaseSavepoint(MESSAGE_SAVEPOINT);
        });
    }

    // ---- writes, all or nothing per message -------------------------------------------------------------------

    /** @return the new ticket's number */
    public long openTicket(MessageKey key, MessageFacts facts, TicketContent content) {
        return jdbi.inTransaction(h -> {
            long ticket = insertTicket(h, key.mailboxId(), content);
            insertAttachments(h, ticket, null, content);
            insertProcessed(h, key, facts, Outcome.TICKET, null, null, ticket, null, null);
            advance(h, key);
            return ticket;
        });
    }

    /** @return the new followup's id */
    public long addFollowup(MessageKey key, MessageFacts facts, long ticketNumber, TicketContent content) {
        return jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            long followup = h.createUpdate("INSERT INTO followup (ticket_id, mailbox_id, from_address, from_name, cc, "
                            + "followup_date, body_text, body_html, message_id, notes, created_at) VALUES (:t, :m, :fa, :fn, "
                            + ":cc, :d, :text, :html, :mid, :notes, :now)")
                    .bind("t", ticketNumber).bind("m", key.mailboxId())
                    .bind("fa", content.from().map(Person::address).orElse(null))
                    .bind("fn", content.from().flatMap(Person::name).orElse(null))
                    .bind("cc", joinLines(content.cc())).bind("d", content.date()).bind("text", content.bodyText())
                    .bind("html", content.bodyHtml().orElse(null)).bind("mid", content.messageId().orElse(null))
                    .bind("notes", joinLines(content.notes())).bind("now", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            insertAttachments(h, ticketNumber, followup, content);
            insertProcessed(h, key, facts, Outcome.FOLLOWUP, null, null, ticketNumber, followup, null);
            advance(h, key);
            return followup;
        });
    }

    /**
     * Records a refusal. The raw message is kept (when given) so that an admin can still "import anyway".
     */
    public void refuse(MessageKey key, MessageFacts facts, String reason, String detail, Optional<Spool> raw) {
        jdbi.useTransaction(h -> {
            insertProcessed(h, key, facts, Outcome.REFUSED, reason, detail, null, null, raw.orElse(null));
            advance(h, key);
        });
    }

    /** Records a second copy of a message already ticketed; it gets the same post-action, and no new ticket. */
    public void duplicate(MessageKey key, MessageFacts facts, long ticketNumber) {
        jdbi.useTransaction(h -> {
            insertProcessed(h, key, facts, Outcome.DUPLICATE, null, "same message as ticket #" + ticketNumber,
                    ticketNumber, null, null);
            advance(h, key);
        });
    }

    /** Records that the folder holds a message Intake skipped because it is older than initial-sync takes. */
    public void advancePast(MessageKey key) {
        jdbi.useHandle(h -> advance(h, key));
    }

    // ---- import anyway ------------------------------------------------------------------------------------------

    /** A refused message's record and kept original, for "Import anyway". */
    public Optional<RefusedOriginal> refusedOriginal(long processedId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PROCESSED_COLUMNS + ", raw FROM processed_message WHERE id = :id")
                .bind("id", processedId)
                .map((rs, ctx) -> new RefusedOriginal(processed(rs, ctx), rs.getBytes("raw")))
                .findOne());
    }

    /**
     * Turns a refused message into a ticket in one transaction: the ticket, its attachments, and the record now
     * saying TICKET (with the original reason kept in its detail). The kept original is dropped.
     *
     * @return the new ticket's number, or empty if the record is no longer a refusal (imported twice at once)
     */
    public Optional<Long> importRefused(long processedId, TicketContent content, String importedBy) {
        return jdbi.inTransaction(h -> {
            Optional<ProcessedMessage> row = h.createQuery("SELECT " + PROCESSED_COLUMNS + " FROM processed_message "
                            + "WHERE id = :id FOR UPDATE")
                    .bind("id", processedId).map(TicketStore::processed).findOne();
            if (row.isEmpty() || row.get().outcome() != Outcome.REFUSED) {
                return Optional.<Long>empty();
            }
            long ticket = insertTicket(h, row.get().key().mailboxId(), content);
            insertAttachments(h, ticket, null, content);
            h.createUpdate("UPDATE processed_message SET outcome = :o, ticket_id = :t, raw = NULL, detail = :d WHERE id = :id")
                    .bind("o", Outcome.TICKET.name()).bind("t", ticket)
                    .bind("d", "Imported by " + importedBy + " after it was refused (" + row.get().reason().orElse("?") + ": "
                            + row.get().detail().orElse("") + ")")
                    .bind("id", processedId).execute();
            return Optional.of(ticket);
        });
    }

    // ---- post-actions ----------------------------------------------------------------------------------------

    /** Messages whose ticket is committed but whose server-side action has not been confirmed yet. */
    public List<ProcessedMessage> pendingPostActions(String mailboxId, String folder, long uidValidity) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PROCESSED_COLUMNS + " FROM processed_message WHERE mailbox_id = :m AND folder = :f "
                        + "AND uid_validity = :v AND post_action_pending = TRUE ORDER BY uid")
                .bind("m", mailboxId).bind("f", folder).bind("v", uidValidity).map(TicketStore::processed).list());
    }

    public void postActionsDone(List<Long> processedIds) {
        if (processedIds.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE processed_message SET post_action_pending = FALSE WHERE id IN (<ids>)")
                .bindList("ids", processedIds).execute());
    }

    // ---- internals --------------------------------------------------------------------------------------------

    private long insertTicket(Handle h, String mailboxId, TicketContent c) {
        return h.createUpdate("INSERT INTO ticket (mailbox_id, subject, requester_address, requester_name, cc, ticket_date, "
                        + "body_text, body_html, message_id, notes, created_at) VALUES (:m, :s, :ra, :rn, :cc, :d, :text, "
                        + ":html, :mid, :notes, :now)")
                .bind("m", mailboxId).bind("s", truncate(c.subject(), 2000))
                .bind("ra", c.from().map(Person::address).orElse(null))
                .bind("rn", c.from().flatMap(Person::name).map(n -> truncate(n, 500)).orElse(null))
                .bind("cc", joinLines(c.cc())).bind("d", c.date()).bind("text", c.bodyText())
                .bind("html", c.bodyHtml().orElse(null)).bind("mid", c.messageId().orElse(null))
                .bind("notes", joinLines(c.notes())).bind("now", clock.instant())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private void insertAttachments(Handle h, long ticket, Long followup, TicketContent c) {
        for (AttachmentContent a : c.attachments()) {
            try (InputStream content = a.content().openStream()) {
                h.createUpdate("INSERT INTO attachment (ticket_id, followup_id, file_name, content_type, size_bytes, "
                                + "sha256, content_id, inline_part, content) VALUES (:t, :f, :n, :ct, :size, :sha, :cid, "
                                + ":inline, :content)")
                        .bind("t", ticket).bind("f", followup).bind("n", truncate(a.fileName(), 255))
                        .bind("ct", truncate(a.contentType(), 255)).bind("size", a.size()).bind("sha", a.sha256())
                        .bind("cid", a.contentId().orElse(null)).bind("inline", a.inline())
                        .bindBinaryStream("content", content, length(a.content()))
                        .execute();
            } catch (IOException e) {
                throw new UncheckedIOException("could not read attachment " + a.fileName() + " to store it", e);
            }
        }
    }

    /** Streamed in, so that a large attachment goes from its temporary file to the database without the heap. */
    private static int length(Spool content) {
        if (content.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an attachment of " + content.size() + " bytes is larger than a database "
                    + "value can be; lower max-attachment-size");
        }
        return (int) content.size();
    }

    private void insertProcessed(Handle h, MessageKey key, MessageFacts facts, Outcome outcome, String reason,
            String detail, Long ticket, Long followup, Spool raw) {
        try (InputStream original = raw == null ? null : raw.openStream()) {
            var insert = h.createUpdate("INSERT INTO processed_message (mailbox_id, folder, uid_validity, uid, message_id, "
                            + "fingerprint, outcome, reason, detail, subject, sender, ticket_id, followup_id, raw, "
                            + "post_action_pending, processed_at) VALUES (:m, :f, :v, :u, :mid, :fp, :o, :r, :d, :s, :from, "
                            + ":t, :fu, :raw, TRUE, :now)")
                    .bind("m", key.mailboxId()).bind("f", key.folder()).bind("v", key.uidValidity()).bind("u", key.uid())
                    .bind("mid", facts.messageId().map(id -> truncate(id, 998)).orElse(null))
                    .bind("fp", facts.fingerprint().orElse(null))
                    .bind("o", outcome.name()).bind("r", reason).bind("d", detail)
                    .bind("s", truncate(facts.subject(), 2000)).bind("from", truncate(facts.sender(), 320))
                    .bind("t", ticket).bind("fu", followup).bind("now", clock.instant());
            if (raw == null) {
                insert.bind("raw", (byte[]) null);
            } else {
                insert.bindBinaryStream("raw", original, length(raw));
            }
            insert.execute();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the original message to keep it", e);
        }
    }

    static ProcessedMessage processed(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ProcessedMessage(
                rs.getLong("id"),
                new MessageKey(rs.getString("mailbox_id"), rs.getString("folder"), rs.getLong("uid_validity"), rs.getLong("uid")),
                Optional.ofNullable(rs.getString("message_id")),
                Outcome.valueOf(rs.getString("outcome")),
                Optional.ofNullable(rs.getString("reason")),
                Optional.ofNullable(rs.getString("detail")),
                nullToEmpty(rs.getString("subject")),
                nullToEmpty(rs.getString("sender")),
                optionalLong(rs, "ticket_id"),
                rs.getBoolean("raw_kept"),
                rs.getBoolean("post_action_pending"),
                rs.getTimestamp("processed_at").toInstant());
    }

    static String joinLines(List<String> values) {
        return values.isEmpty() ? null : String.join("\n", values);
    }

    static List<String> splitLines(String value) {
        return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split("\n"));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
