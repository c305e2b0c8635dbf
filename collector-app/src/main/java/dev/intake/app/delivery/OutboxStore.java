package dev.intake.app.delivery;

import static dev.intake.app.store.Columns.optionalLong;
import static dev.intake.app.store.Columns.truncate;

import dev.intake.app.store.Transaction;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The outbox's tables: items written in the transaction of what they deliver, taken by the delivery job in order per
 * (target, ticket), and what the job knows of each target.
 *
 * <p>Every change of an item's state is a conditional update on the state the caller saw, so that two nodes (or a
 * node and an admin's Skip) never both act on one item: the loser's update changes nothing and it moves on.
 */
public final class OutboxStore {

    private static final int ERROR_LIMIT = 2000;
    private static final String UNDELIVERED = "('PENDING', 'SENDING', 'DEAD')";

    private final Jdbi jdbi;
    private final Clock clock;

    public OutboxStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    // ---- writing, in the transaction of the ticket ----------------------------------------------------------

    void insert(Transaction tx, List<NewItem> items) {
        if (items.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        PreparedBatch batch = tx.handle().prepareBatch("INSERT INTO delivery_item (delivery_id, target, kind, shape, "
                + "mailbox_id, ticket_id, followup_id, attachment_id, event_id, state, attempts, next_attempt_at, "
                + "maybe_sent, created_at) VALUES (:did, :target, :kind, :shape, :mailbox, :ticket, :followup, "
                + ":attachment, :event, 'PENDING', 0, :now, FALSE, :now)");
        for (NewItem i : items) {
            batch.bind("did", UUID.randomUUID().toString()).bind("target", i.target()).bind("kind", i.kind().name())
                    .bind("shape", i.notification() ? "event" : "item").bind("mailbox", i.mailboxId().orElse(null))
                    .bind("ticket", i.ticket().orElse(null)).bind("followup", i.followup().orElse(null))
                    .bind("attachment", i.attachment().orElse(null)).bind("event", i.event()).bind("now", now).add();
        }
        batch.execute();
    }

    /** Whether a helpdesk item for this ticket's creation was ever written for the target. */
    boolean hasTicketItem(Transaction tx, String target, long ticket) {
        return tx.handle().createQuery("SELECT COUNT(*) FROM delivery_item WHERE target = :t AND ticket_id = :ticket "
                        + "AND kind = 'TICKET' AND shape = 'item'")
                .bind("t", target).bind("ticket", ticket).mapTo(Integer.class).one() > 0;
    }

    // ---- the delivery job ----------------------------------------------------------------------------------

    /**
     * The target's items that may be sent now, oldest first: pending and due, or left {@code sending} since before
     * {@code staleBefore} by a node that died; and in either case with every earlier item of the same ticket for
     * this target delivered or skipped (an earlier one pending, failing or dead holds the ticket's later items back,
     * never another ticket's).
     */
    List<OutboxItem> due(String target, Instant now, Instant staleBefore, int limit) {
        // Two questions, each answered from the (target, state, next_attempt_at) index: as one condition with OR, H2
        // read every item the target ever had, delivered ones included, at every poll.
        String inOrder = " AND (d.ticket_id IS NULL OR NOT EXISTS (SELECT 1 FROM delivery_item e WHERE e.target = d.target "
                + "AND e.ticket_id = d.ticket_id AND e.id < d.id AND e.state IN " + UNDELIVERED + "))";
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM ("
                        + "SELECT d.* FROM delivery_item d WHERE d.target = :t AND d.state = 'PENDING' "
                        + "AND d.next_attempt_at <= :now" + inOrder
                        + " UNION ALL SELECT d.* FROM delivery_item d WHERE d.target = :t AND d.state = 'SENDING' "
                        + "AND d.sending_since <= :stale" + inOrder
                        + ") due ORDER BY id LIMIT :n")
                .bind("t", target).bind("now", now).bind("stale", staleBefore).bind("n", limit)
                .map((rs, ctx) -> item(rs)).list());
    }

    /**
     * Marks the item as being sent, one attempt more, if it is still as {@code seen}: committed before the remote
     * call, so that a node dying during the call leaves a row that says so. An item taken from a dead node's
     * {@code sending} is marked as perhaps sent.
     *
     * @return false when another node or an admin changed it first
     */
    boolean claim(OutboxItem seen) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE delivery_item SET state = 'SENDING', attempts = attempts + 1, "
                        + "sending_since = :now, maybe_sent = :maybe WHERE id = :id AND state = :state AND attempts = :attempts")
                .bind("now", clock.instant()).bind("maybe", seen.maybeSent() || seen.state() == ItemState.SENDING)
                .bind("id", seen.id()).bind("state", seen.state().name()).bind("attempts", seen.attempts())
                .execute()) == 1;
    }

    void delivered(long id, Delivered delivered) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE delivery_item SET state = 'DELIVERED', remote_id = :rid, "
                        + "remote_url = :url, last_error = NULL, finished_at = :now WHERE id = :id AND state = 'SENDING'")
                .bind("rid", truncate(delivered.remoteId(), 200))
                .bind("url", delivered.remoteUrl().map(u -> truncate(u, 2000)).orElse(null))
                .bind("now", clock.instant()).bind("id", id).execute());
    }

    /** A failure to try again at {@code next}; {@code maybeSent} when the failed attempt may have arrived. */
    void retryLater(long id, Instant next, String error, boolean maybeSent) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE delivery_item SET state = 'PENDING', next_attempt_at = :next, "
                        + "last_error = :error, maybe_sent = (maybe_sent OR :maybe) WHERE id = :id AND state = 'SENDING'")
                .bind("next", next).bind("error", truncate(error, ERROR_LIMIT)).bind("maybe", maybeSent).bind("id", id)
                .execute());
    }

    /**
     * The target refused Intake, not the item: back to pending with the attempt not counted (the target waits as a
     * whole, see {@link #targetUnauthorized}).
     */
    void notAttempted(long id, String error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE delivery_item SET state = 'PENDING', attempts = attempts - 1, "
                        + "next_attempt_at = :now, last_error = :error WHERE id = :id AND state = 'SENDING'")
                .bind("now", clock.instant()).bind("error", truncate(error, ERROR_LIMIT)).bind("id", id).execute());
    }

    /** To the dead-letter list, with the reason an admin reads. */
    void dead(long id, String reason, boolean maybeSent) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE delivery_item SET state = 'DEAD', last_error = :error, "
                        + "maybe_sent = (maybe_sent OR :maybe), finished_at = :now WHERE id = :id AND state = 'SENDING'")
                .bind("error", truncate(reason, ERROR_LIMIT)).bind("maybe", maybeSent).bind("now", clock.instant())
                .bind("id", id).execute());
    }

    /** Not sent, and not to be: its ticket was skipped for this target. */
    void skippedBecause(long id, String reason) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE delivery_item SET state = 'SKIPPED', last_error = :error, "
                        + "finished_at = :now WHERE id = :id AND state = 'SENDING'")
                .bind("error", truncate(reason, ERROR_LIMIT)).bind("now", clock.instant()).bind("id", id).execute());
    }

    /** The remote id of a delivered helpdesk item: a ticket's (kind TICKET) or a followup's (kind FOLLOWUP). */
    Optional<String> remoteId(String target, ItemKind kind, long ticket, Optional<Long> followup) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT remote_id FROM delivery_item WHERE target = :t AND shape = 'item' "
                            + "AND kind = :kind AND ticket_id = :ticket AND state = 'DELIVERED'"
                            + (followup.isPresent() ? " AND followup_id = :f" : "") + " ORDER BY id")
                    .bind("t", target).bind("kind", kind.name()).bind("ticket", ticket);
            followup.ifPresent(f -> q.bind("f", f));
            return q.mapTo(String.class).findFirst();
        });
    }

    /** The state of the ticket's creation item for this target, when there is one. */
    Optional<ItemState> ticketItemState(String target, long ticket) {
        return jdbi.withHandle(h -> h.createQuery("SELECT state FROM delivery_item WHERE target = :t AND shape = 'item' "
                        + "AND kind = 'TICKET' AND ticket_id = :ticket ORDER BY id")
                .bind("t", target).bind("ticket", ticket).mapTo(String.class).findFirst().map(ItemState::valueOf));
    }

    // ---- targets as a whole --------------------------------------------------------------------------------

    public TargetState targetState(String target) {
        return jdbi.withHandle(h -> targetState(h, target));
    }

    private static TargetState targetState(Handle h, String target) {
        return h.createQuery("SELECT * FROM delivery_target_state WHERE target = :t").bind("t", target)
                .map((rs, ctx) -> new TargetState(rs.getString("target"), rs.getBoolean("unauthorized"),
                        rs.getInt("failures"), instant(rs, "blocked_until"), Optional.ofNullable(rs.getString("last_error")),
                        instant(rs, "last_error_at"), instant(rs, "last_success_at")))
                .findOne().orElse(TargetState.fresh(target));
    }

    void targetSucceeded(String target) {
        upsertTarget(target, "unauthorized = FALSE, failures = 0, blocked_until = NULL, last_success_at = :now",
                Map.of());
    }

    void targetFailed(String target, String error) {
        upsertTarget(target, "unauthorized = FALSE, last_error = :error, last_error_at = :now",
                Map.of("error", truncate(error, ERROR_LIMIT)));
    }

    /** The target refused Intake itself: none of its items is tried before {@code until}. */
    void targetUnauthorized(String target, String error, Instant until) {
        upsertTarget(target, "unauthorized = TRUE, failures = failures + 1, blocked_until = :until, last_error = :error, "
                + "last_error_at = :now", Map.of("error", truncate(error, ERROR_LIMIT), "until", until));
    }

    /** Lets the target's items be tried now (an admin's Retry after fixing the target's configuration). */
    void unblockTarget(String target) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE delivery_target_state SET blocked_until = NULL WHERE target = :t")
                .bind("t", target).execute());
    }

    /**
     * Only one node sends a target's items at a time, but an admin's action may race with it: the row is inserted
     * once, and an insert that loses to another is followed by the update.
     */
    private void upsertTarget(String target, String assignments, Map<String, Object> values) {
        jdbi.useHandle(h -> {
            if (update(h, target, assignments, values) == 0) {
                try {
                    h.createUpdate("INSERT INTO delivery_target_state (target, unauthorized, failures) VALUES (:t, FALSE, 0)")
                            .bind("t", target).execute();
                } catch (UnableToExecuteStatementException raced) {
                    // Another node inserted it first: the row exists now.
                }
                update(h, target, assignments, values);
            }
        });
    }

    private int update(Handle h, String target, String assignments, Map<String, Object> values) {
        var update = h.createUpdate("UPDATE delivery_target_state SET " + assignments + " WHERE target = :t")
                .bind("t", target).bind("now", clock.instant());
        values.forEach(update::bind);
        return update.execute();
    }

    // ---- reading and the admin's actions ---------------------------------------------------------------------

    public Optional<OutboxItem> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM delivery_item WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> item(rs)).findOne());
    }

    /** Items, newest first, of one target and in one state when given. */
    public List<OutboxItem> list(Optional<String> target, Optional<ItemState> state, int limit) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT * FROM delivery_item WHERE 1 = 1" + (target.isPresent() ? " AND target = :t" : "")
                    + (state.isPresent() ? " AND state = :s" : "") + " ORDER BY id DESC LIMIT :n").bind("n", limit);
            target.ifPresent(t -> q.bind("t", t));
            state.ifPresent(s -> q.bind("s", s.name()));
            return q.map((rs, ctx) -> item(rs)).list();
        });
    }

    /** A ticket's items for every target, in order. */
    public List<OutboxItem> ofTicket(long ticket) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM delivery_item WHERE ticket_id = :t ORDER BY id")
                .bind("t", ticket).map((rs, ctx) -> item(rs)).list());
    }

    /** Each target's backlog (targets without undelivered items are absent). */
    public Map<String, Backlog> backlogs() {
        return jdbi.withHandle(h -> {
            Map<String, Backlog> out = new HashMap<>();
            h.createQuery("SELECT target, state, COUNT(*) AS n, MIN(created_at) AS oldest FROM delivery_item WHERE state IN "
                            + UNDELIVERED + " GROUP BY target, state")
                    .map((rs, ctx) -> {
                        String target = rs.getString("target");
                        long n = rs.getLong("n");
                        Optional<Instant> oldest = instant(rs, "oldest");
                        Backlog b = out.getOrDefault(target, Backlog.EMPTY);
                        boolean dead = "DEAD".equals(rs.getString("state"));
                        Optional<Instant> earliest = dead ? b.oldestWaiting() : earliest(b.oldestWaiting(), oldest);
                        out.put(target, new Backlog(b.waiting() + (dead ? 0 : n), earliest, b.dead() + (dead ? n : 0)));
                        return target;
                    }).list();
            return out;
        });
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isBefore(b.get()) ? a : b;
    }

    /** A dead item back to pending, its attempts counted afresh. @return false unless it was dead */
    boolean retry(long id) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE delivery_item SET state = 'PENDING', attempts = 0, "
                        + "next_attempt_at = :now, finished_at = NULL WHERE id = :id AND state = 'DEAD'")
                .bind("now", clock.instant()).bind("id", id).execute()) == 1;
    }

    /**
     * Skips a pending or dead item; a ticket's creation item takes every undelivered item of the ticket behind it
     * for the same target with it (they could only fail without it).
     *
     * @return the number of items skipped (0 when the item is being sent, delivered or skipped already)
     */
    int skip(long id, String reason) {
        return jdbi.inTransaction(h -> {
            Optional<OutboxItem> item = h.createQuery("SELECT * FROM delivery_item WHERE id = :id FOR UPDATE")
                    .bind("id", id).map((rs, ctx) -> item(rs)).findOne();
            if (item.isEmpty() || !(item.get().state() == ItemState.PENDING || item.get().state() == ItemState.DEAD)) {
                return 0;
            }
            OutboxItem it = item.get();
            Instant now = clock.instant();
            int n = h.createUpdate("UPDATE delivery_item SET state = 'SKIPPED', last_error = :reason, finished_at = :now "
                            + "WHERE id = :id")
                    .bind("reason", truncate(reason, ERROR_LIMIT)).bind("now", now).bind("id", id).execute();
            if (it.kind() == ItemKind.TICKET && !it.notification() && it.ticket().isPresent()) {
                n += h.createUpdate("UPDATE delivery_item SET state = 'SKIPPED', last_error = :reason, finished_at = :now "
                                + "WHERE target = :t AND ticket_id = :ticket AND id > :id AND shape = 'item' "
                                + "AND state IN ('PENDING', 'DEAD')")
                        .bind("reason", truncate("its ticket was skipped: " + reason, ERROR_LIMIT)).bind("now", now)
                        .bind("t", it.target()).bind("ticket", it.ticket().get()).bind("id", id).execute();
            }
            return n;
        });
    }

    private static OutboxItem item(ResultSet rs) throws SQLException {
        return new OutboxItem(rs.getLong("id"), rs.getString("delivery_id").strip(), rs.getString("target"),
                ItemKind.valueOf(rs.getString("kind")), "event".equals(rs.getString("shape")),
                Optional.ofNullable(rs.getString("mailbox_id")), optionalLong(rs, "ticket_id"),
                optionalLong(rs, "followup_id"), optionalLong(rs, "attachment_id"), optionalLong(rs, "event_id"),
                ItemState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(), rs.getBoolean("maybe_sent"),
                Optional.ofNullable(rs.getString("last_error")), Optional.ofNullable(rs.getString("remote_id")),
                Optional.ofNullable(rs.getString("remote_url")), rs.getTimestamp("created_at").toInstant(),
                instant(rs, "sending_since"), instant(rs, "finished_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }
}
