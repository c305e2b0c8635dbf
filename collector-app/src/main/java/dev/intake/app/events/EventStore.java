package dev.intake.app.events;

import dev.intake.app.store.Transaction;
import dev.intake.app.store.Transactions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes events in the caller's transaction and hands them to readers in commit order.
 *
 * <p>Why positions are given after commit: an identity value (or a PostgreSQL sequence) is taken when a row is
 * inserted, not when it commits, so a long collection batch may commit event 7 after a short one committed event 8;
 * a reader that had handled 8 would never see 7. Here an event gets no position when written. Before each read,
 * {@link #sequence} takes the lock of the single counter row and numbers every committed event that has none yet, in
 * id order; the row lock makes two numberings (on any node) run one after the other. An event that commits after a
 * numbering is numbered by a later one, above everything handed out before: no reader skips it, none sees it twice.
 */
public final class EventStore implements EventFeed {

    /** Events numbered per statement, so that a feed unread for a long time is caught up in steps. */
    private static final int SEQUENCE_CHUNK = 1000;

    private final Jdbi jdbi;
    private final Transactions transactions;
    private final Clock clock;
    private volatile EventHook hook = EventHook.NONE;

    public EventStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.transactions = new Transactions(jdbi);
        this.clock = clock;
    }

    /**
     * Writes what {@code hook} adds to every event from now on, in the event's transaction. Set once while the app is
     * assembled: the outbox is built after the stores it reads.
     */
    public void hook(EventHook hook) {
        this.hook = hook;
    }

    /** Records an event in {@code tx}: it is kept if and only if the transaction commits. */
    public void append(Transaction tx, EventType type, String mailboxId, Long ticket, Long followup, String detail) {
        long id = insert(tx.handle(), type, mailboxId, ticket, followup, detail);
        hook.written(tx, new WrittenEvent(id, type, Optional.ofNullable(mailboxId), Optional.ofNullable(ticket),
                Optional.ofNullable(followup)));
    }

    /** Records an event on its own, for what happens outside a transaction of ours (a mailbox paused). */
    public void append(EventType type, String mailboxId, String detail) {
        transactions.inTransaction(tx -> {
            append(tx, type, mailboxId, null, null, detail);
            return null;
        });
    }

    private long insert(Handle h, EventType type, String mailboxId, Long ticket, Long followup, String detail) {
        return h.createUpdate("INSERT INTO integration_event (event_type, mailbox_id, ticket_id, followup_id, detail, occurred_at) "
                        + "VALUES (:type, :mailbox, :ticket, :followup, :detail, :now)")
                .bind("type", type.name()).bind("mailbox", mailboxId).bind("ticket", ticket).bind("followup", followup)
                .bind("detail", detail).bind("now", clock.instant())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    @Override
    public List<IntegrationEvent> after(long position, int limit) {
        sequence();
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM integration_event WHERE seq > :after ORDER BY seq "
                        + "LIMIT :limit")
                .bind("after", position).bind("limit", limit).map((rs, ctx) -> event(rs)).list());
    }

    @Override
    public Optional<IntegrationEvent> event(long id) {
        sequence();
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM integration_event WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> event(rs)).findOne());
    }

    /** Numbers the committed events that have no position yet; see the class comment. */
    void sequence() {
        boolean more = true;
        while (more) {
            more = jdbi.inTransaction(h -> {
                long last = h.createQuery("SELECT last_seq FROM integration_event_sequence WHERE id = 1 FOR UPDATE")
                        .mapTo(Long.class).one();
                List<Long> ids = h.createQuery("SELECT id FROM integration_event WHERE seq IS NULL ORDER BY id LIMIT :n")
                        .bind("n", SEQUENCE_CHUNK).mapTo(Long.class).list();
                if (ids.isEmpty()) {
                    return false;
                }
                PreparedBatch batch = h.prepareBatch("UPDATE integration_event SET seq = :seq WHERE id = :id");
                long seq = last;
                for (long id : ids) {
                    batch.bind("seq", ++seq).bind("id", id).add();
                }
                batch.execute();
                h.createUpdate("UPDATE integration_event_sequence SET last_seq = :seq WHERE id = 1").bind("seq", seq)
                        .execute();
                return ids.size() == SEQUENCE_CHUNK;
            });
        }
    }

    private static IntegrationEvent event(ResultSet rs) throws SQLException {
        long ticket = rs.getLong("ticket_id");
        Optional<Long> ticketId = rs.wasNull() ? Optional.empty() : Optional.of(ticket);
        long followup = rs.getLong("followup_id");
        Optional<Long> followupId = rs.wasNull() ? Optional.empty() : Optional.of(followup);
        return new IntegrationEvent(rs.getLong("seq"), EventType.valueOf(rs.getString("event_type")),
                Optional.ofNullable(rs.getString("mailbox_id")), ticketId, followupId,
                Optional.ofNullable(rs.getString("detail")), rs.getTimestamp("occurred_at").toInstant());
    }
}
