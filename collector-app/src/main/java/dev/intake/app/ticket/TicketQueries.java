package dev.intake.app.ticket;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Reads tickets for the CLI, the web UI and the JSON API. */
public final class TicketQueries {

    private final Jdbi jdbi;

    public TicketQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<TicketSummary> list(TicketQuery q) {
        StringBuilder sql = new StringBuilder("SELECT t.id, t.mailbox_id, t.subject, t.requester_address, t.requester_name, "
                + "t.ticket_date, (SELECT COUNT(*) FROM followup f WHERE f.ticket_id = t.id) AS followups, "
                + "(SELECT COUNT(*) FROM attachment a WHERE a.ticket_id = t.id) AS attachments FROM ticket t WHERE 1 = 1");
        where(sql, q);
        sql.append(" ORDER BY t.id DESC LIMIT :limit OFFSET :offset");
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
                            TicketStore.splitLines(f.getString("cc")), f.getTimestamp("followup_date").toInstant(),
                            f.getString("body_text"), Optional.ofNullable(f.getString("body_html")),
                            Optional.ofNullable(f.getString("message_id")), TicketStore.splitLines(f.getString("notes")),
                            f.getTimestamp("created_at").toInstant(),
                            attachments.stream().filter(a -> a.followupId().equals(Optional.of(fid))).toList());
                })
                .list();
        return new Ticket(id, rs.getString("mailbox_id"), rs.getString("subject"),
                person(rs, "requester_address", "requester_name"), TicketStore.splitLines(rs.getString("cc")),
                rs.getTimestamp("ticket_date").toInstant(), rs.getString("body_text"),
                Optional.ofNullable(rs.getString("body_html")), Optional.ofNullable(rs.getString("message_id")),
                TicketStore.splitLines(rs.getString("notes")), rs.getTimestamp("created_at").toInstant(), followups,
                attachments.stream().filter(a -> a.followupId().isEmpty()).toList());
    }

    private static List<Ticket.AttachmentInfo> attachments(Handle h, long ticket) {
        return h.createQuery("SELECT id, followup_id, file_name, content_type, size_bytes, sha256, content_id, inline_part "
                        + "FROM attachment WHERE ticket_id = :t ORDER BY id")
                .bind("t", ticket)
                .map((rs, ctx) -> info(rs))
                .list();
    }

    private static Ticket.AttachmentInfo info(ResultSet rs) throws SQLException {
        return new Ticket.AttachmentInfo(rs.getLong("id"), TicketStore.optionalLong(rs, "followup_id"),
                rs.getString("file_name"), rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("sha256"),
                Optional.ofNullable(rs.getString("content_id")), rs.getBoolean("inline_part"));
    }

    public Optional<StoredAttachment> attachment(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM attachment WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new StoredAttachment(info(rs), rs.getLong("ticket_id"), rs.getBytes("content")))
                .findOne());
    }

    /** The newest processed-message records of a mailbox, optionally of one outcome. */
    public List<ProcessedMessage> processed(String mailboxId, Optional<Outcome> outcome, int limit) {
        return jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT " + TicketStore.PROCESSED_COLUMNS + " FROM processed_message WHERE mailbox_id = :m"
                    + (outcome.isPresent() ? " AND outcome = :o" : "") + " ORDER BY id DESC LIMIT :limit");
            q.bind("m", mailboxId).bind("limit", limit);
            outcome.ifPresent(o -> q.bind("o", o.name()));
            return q.map(TicketStore::processed).list();
        });
    }

    /** Counts of processed messages of a mailbox by outcome. */
    public java.util.Map<Outcome, Integer> outcomeCounts(String mailboxId) {
        java.util.Map<Outcome, Integer> counts = new java.util.EnumMap<>(Outcome.class);
        jdbi.useHandle(h -> h.createQuery("SELECT outcome, COUNT(*) AS n FROM processed_message WHERE mailbox_id = :m "
                        + "GROUP BY outcome")
                .bind("m", mailboxId)
                .map((rs, ctx) -> java.util.Map.entry(Outcome.valueOf(rs.getString("outcome")), rs.getInt("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    private static Optional<Person> person(ResultSet rs, String addressColumn, String nameColumn) throws SQLException {
        String address = rs.getString(addressColumn);
        return address == null ? Optional.empty() : Optional.of(new Person(address, Optional.ofNullable(rs.getString(nameColumn))));
    }
}
