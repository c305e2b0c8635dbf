package dev.intake.app.ticket;

import static dev.intake.app.store.Columns.joinLines;
import static dev.intake.app.store.Columns.optionalLong;
import static dev.intake.app.store.Columns.splitLines;
import static dev.intake.app.store.Columns.truncate;

import dev.intake.app.spool.Spool;
import dev.intake.app.store.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Tickets, their followups and attachments: written by collection (and Import anyway) inside the caller's
 * {@link Transaction}, next to the ledger's record of the message, and read by the CLI, the web UI and the API.
 */
public final class TicketStore implements TicketQueries, TicketUpdates {

    private final Jdbi jdbi;
    private final Clock clock;

    public TicketStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    /** @return the new ticket's number */
    public long open(Transaction tx, String mailboxId, TicketContent c) {
        long ticket = tx.handle().createUpdate("INSERT INTO ticket (mailbox_id, subject, requester_address, requester_name, cc, "
                        + "ticket_date, body_text, body_html, message_id, notes, created_at) VALUES (:m, :s, :ra, :rn, :cc, :d, "
                        + ":text, :html, :mid, :notes, :now)")
                .bind("m", mailboxId).bind("s", truncate(c.subject(), 2000))
                .bind("ra", c.from().map(Person::address).orElse(null))
                .bind("rn", c.from().flatMap(Person::name).map(n -> truncate(n, 500)).orElse(null))
                .bind("cc", joinLines(c.cc())).bind("d", c.date()).bind("text", c.bodyText())
                .bind("html", c.bodyHtml().orElse(null)).bind("mid", c.messageId().orElse(null))
                .bind("notes", joinLines(c.notes())).bind("now", clock.instant())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        insertAttachments(tx.handle(), ticket, null, c);
        return ticket;
    }

    /** @return the new followup's id */
    public long addFollowup(Transaction tx, long ticket, String mailboxId, TicketContent c) {
        long followup = tx.handle().createUpdate("INSERT INTO followup (ticket_id, mailbox_id, from_address, from_name, cc, "
                        + "followup_date, body_text, body_html, message_id, notes, created_at) VALUES (:t, :m, :fa, :fn, "
                        + ":cc, :d, :text, :html, :mid, :notes, :now)")
                .bind("t", ticket).bind("m", mailboxId)
                .bind("fa", c.from().map(Person::address).orElse(null))
                .bind("fn", c.from().flatMap(Person::name).orElse(null))
                .bind("cc", joinLines(c.cc())).bind("d", c.date()).bind("text", c.bodyText())
                .bind("html", c.bodyHtml().orElse(null)).bind("mid", c.messageId().orElse(null))
                .bind("notes", joinLines(c.notes())).bind("now", clock.instant())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        insertAttachments(tx.handle(), ticket, followup, c);
        return followup;
    }

    /** Whether a ticket with this number exists (a subject's tag may name any number). */
    public boolean exists(Transaction tx, long number) {
        return tx.handle().createQuery("SELECT COUNT(*) FROM ticket WHERE id = :id").bind("id", number)
                .mapTo(Integer.class).one() > 0;
    }

    /**
     * A ticket's attachments (of its first message and of every followup), read in the caller's transaction: what
     * the delivery outbox writes items for, in the transaction that stored them.
     */
    public List<Ticket.AttachmentInfo> attachments(Transaction tx, long ticket) {
        return attachments(tx.handle(), ticket);
    }

    /** A ticket's followups' ids in arrival order, read in the caller's transaction. */
    public List<Long> followupIds(Transaction tx, long ticket) {
        return tx.handle().createQuery("SELECT id FROM followup WHERE ticket_id = :t ORDER BY id").bind("t", ticket)
                .mapTo(Long.class).list();
    }

    /** Streamed in, so that a large attachment goes from its temporary file to the database without the heap. */
    private static void insertAttachments(Handle h, long ticket, Long followup, TicketContent c) {
        for (AttachmentContent a : c.attachments()) {
            try (InputStream content = a.content().openStream()) {
                h.createUpdate("INSERT INTO attachment (ticket_id, followup_id, file_name, content_type, size_bytes, "
                                + "sha256, content_id, inline_part, content) VALUES (:t, :f, :n, :ct, :size, :sha, :cid, "
                                + ":inline, :content)")
                        .bind("t", ticket).bind("f", followup).bind("n", truncate(a.fileName(), 255))
                        .bind("ct", truncate(a.contentType(), 255)).bind("size", a.size()).bind("sha", a.sha256())
                        .bind("cid", a.contentId().orElse(null)).bind("inline", a.inline())
                        .bindBinaryStream("content", content, Spool.lengthForDatabase(a.content()))
                        .execute();
            } catch (IOException e) {
                throw new UncheckedIOException("could not read attachment " + a.fileName() + " to store it", e);
            }
        }
    }

    @Override
    public boolean setStatus(long number, TicketStatus status) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE ticket SET status = :s WHERE id = :id")
                .bind("s", status.wireName()).bind("id", number).execute()) == 1;
    }

    @Override
    public Optional<Long> addInternalNote(long number, String author, String body) {
        return jdbi.inTransaction(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM ticket WHERE id = :id").bind("id", number).mapTo(Integer.class).one() == 0) {
                return Optional.<Long>empty();
            }
            return Optional.of(h.createUpdate("INSERT INTO ticket_note (ticket_id, author, body, created_at) VALUES (:t, :a, "
                            + ":b, :now)")
                    .bind("t", number).bind("a", truncate(author, 200)).bind("b", body).bind("now", clock.instant())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        });
    }

    @Override
    public boolean markExported(long number, String externalId, Optional<String> url) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE ticket SET exported_id = :eid, exported_url = :url, "
                        + "exported_at = :now WHERE id = :id")
                .bind("eid", truncate(externalId, 200)).bind("url", url.orElse(null)).bind("now", clock.instant())
                .bind("id", number).execute()) == 1;
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    @Override
    public List<TicketSummary> list(TicketQuery q) {
        StringBuilder sql = new StringBuilder("SELECT t.id, t.mailbox_id, t.subject, t.requester_address, t.requester_name, "
                + "t.ticket_date, (SELECT COUNT(*) FROM followup f WHERE f.ticket_id = t.id) AS followups, "
                + "(SELECT COUNT(*) FROM attachment a WHERE a.ticket_id = t.id) AS attachments FROM ticket t WHERE 1 = 1");
        where(sql, q);
        // With a mailbox alone, ordering by the mailbox too lets H2 read its page from ticket_mailbox (mailbox_id, id)
        // backwards; ordered by id alone it read every ticket of the mailbox and sorted them. With a date, the date's
        // index (mailbox_id, ticket_date) reads only the tickets since it.
        sql.append(q.mailboxId().isPresent() && q.since().isEmpty() ? " ORDER BY t.mailbox_id DESC, t.id DESC"
                : " ORDER BY t.id DESC");
        sql.append(" LIMIT :limit OFFSET :offset");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString());
            bind(query, q);
            return query.bind("limit", q.pageSize()).bind("offset", (long) Math.max(0, q.page() - 1) * q.pageSize())
                    .map((rs, ctx) -> new TicketSummary(rs.getLong("id"), rs.getString("mailbox_id"), rs.getString("subject"),
                            person(rs, "requester_address", "requester_name"), rs.getTimestamp("ticket_date").toInstant(),
                            rs.getInt("followups"), rs.getInt("attachments")))
                    .list();
        });
    }

    @Override
    public long count(TicketQuery q) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ticket t WHERE 1 = 1");
        where(sql, q);
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString());
            bind(query, q);
            return query.mapTo(Long.class).one();
        });
    }

    private static void where(StringBuilder sql, TicketQuery q) {
        q.mailboxId().ifPresent(m -> sql.append(" AND t.mailbox_id = :mailbox"));
        q.text().ifPresent(t -> sql.append(" AND (LOWER(t.subject) LIKE :text OR LOWER(t.requester_address) LIKE :text "
                + "OR LOWER(t.requester_name) LIKE :text)"));
        q.since().ifPresent(s -> sql.append(" AND t.ticket_date >= :since"));
    }

    private static void bind(Query query, TicketQuery q) {
        q.mailboxId().ifPresent(m -> query.bind("mailbox", m));
        q.text().ifPresent(t -> query.bind("text", "%" + escapeLike(t.toLowerCase(Locale.ROOT)) + "%"));
        q.since().ifPresent(s -> query.bind("since", s));
    }

    private static String escapeLike(String s) {
        // Both H2 and PostgreSQL use backslash as the default LIKE escape.
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public Optional<Ticket> find(long number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ticket WHERE id = :id").bind("id", number)
                .map((rs, ctx) -> ticket(h, rs)).findOne());
    }

    private Ticket ticket(Handle h, ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        List<Ticket.AttachmentInfo> attachments = attachments(h, id);
        List<Ticket.Followup> followups = h.createQuery("SELECT * FROM followup WHERE ticket_id = :id ORDER BY id")
                .bind("id", id)
                .map((f, ctx) -> {
                    long fid = f.getLong("id");
                    return new Ticket.Followup(fid, person(f, "from_address", "from_name"),
                            splitLines(f.getString("cc")), f.getTimestamp("followup_date").toInstant(),
                            f.getString("body_text"), Optional.ofNullable(f.getString("body_html")),
                            Optional.ofNullable(f.getString("message_id")), splitLines(f.getString("notes")),
                            f.getTimestamp("created_at").toInstant(),
                            attachments.stream().filter(a -> a.followupId().equals(Optional.of(fid))).toList());
                })
                .list();
        return new Ticket(id, rs.getString("mailbox_id"), rs.getString("subject"),
                person(rs, "requester_address", "requester_name"), splitLines(rs.getString("cc")),
                rs.getTimestamp("ticket_date").toInstant(), rs.getString("body_text"),
                Optional.ofNullable(rs.getString("body_html")), Optional.ofNullable(rs.getString("message_id")),
                splitLines(rs.getString("notes")), rs.getTimestamp("created_at").toInstant(), followups,
                attachments.stream().filter(a -> a.followupId().isEmpty()).toList(),
                TicketStatus.of(rs.getString("status")).orElse(TicketStatus.NEW), export(rs), internalNotes(h, id));
    }

    private static Optional<Ticket.Export> export(ResultSet rs) throws SQLException {
        String id = rs.getString("exported_id");
        return id == null ? Optional.empty() : Optional.of(new Ticket.Export(id, Optional.ofNullable(rs.getString("exported_url")),
                rs.getTimestamp("exported_at").toInstant()));
    }

    private static List<Ticket.InternalNote> internalNotes(Handle h, long ticket) {
        return h.createQuery("SELECT * FROM ticket_note WHERE ticket_id = :t ORDER BY id").bind("t", ticket)
                .map((rs, ctx) -> new Ticket.InternalNote(rs.getLong("id"), rs.getString("author"), rs.getString("body"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    private static List<Ticket.AttachmentInfo> attachments(Handle h, long ticket) {
        return h.createQuery("SELECT id, followup_id, file_name, content_type, size_bytes, sha256, content_id, inline_part "
                        + "FROM attachment WHERE ticket_id = :t ORDER BY id")
                .bind("t", ticket)
                .map((rs, ctx) -> info(rs))
                .list();
    }

    private static Ticket.AttachmentInfo info(ResultSet rs) throws SQLException {
        return new Ticket.AttachmentInfo(rs.getLong("id"), optionalLong(rs, "followup_id"),
                rs.getString("file_name"), rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("sha256"),
                Optional.ofNullable(rs.getString("content_id")), rs.getBoolean("inline_part"));
    }

    @Override
    public Optional<StoredAttachment> attachment(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM attachment WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new StoredAttachment(info(rs), rs.getLong("ticket_id"), rs.getBytes("content")))
                .findOne());
    }

    private static Optional<Person> person(ResultSet rs, String addressColumn, String nameColumn) throws SQLException {
        String address = rs.getString(addressColumn);
        return address == null ? Optional.empty() : Optional.of(new Person(address, Optional.ofNullable(rs.getString(nameColumn))));
    }
}
