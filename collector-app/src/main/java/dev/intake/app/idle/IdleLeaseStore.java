package dev.intake.app.idle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The IDLE leases ({@code idle_lease}): at most one node idles for a mailbox, and another takes over once that node
 * stops renewing. See the migration for why a lease and not a row lock.
 *
 * <p>Expiry is compared with this node's clock, as Quartz's cluster check-in is: the nodes' clocks must agree within
 * a few seconds (NTP), which a cluster needs anyway; the lease time leaves room for that.
 */
public final class IdleLeaseStore {

    private final Jdbi jdbi;
    private final Clock clock;

    public IdleLeaseStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Takes the mailbox's lease for {@code node} until now + {@code ttl} when it is free, lapsed, or already this
     * node's (then it is renewed). Returns whether {@code node} holds it now.
     */
    public boolean tryAcquire(String mailboxId, String node, Duration ttl) {
        Instant now = clock.instant();
        Instant until = now.plus(ttl);
        return jdbi.inTransaction(h -> {
            int taken = h.createUpdate("UPDATE idle_lease SET node = :node, expires_at = :until, state = :state, "
                            + "detail = NULL, since = :now WHERE mailbox_id = :id AND node <> :node AND expires_at < :now")
                    .bind("node", node).bind("until", until).bind("state", IdleState.STARTING.name()).bind("now", now)
                    .bind("id", mailboxId).execute();
            if (taken == 1) {
                return true;
            }
            int renewed = h.createUpdate("UPDATE idle_lease SET expires_at = :until WHERE mailbox_id = :id AND node = :node")
                    .bind("until", until).bind("id", mailboxId).bind("node", node).execute();
            if (renewed == 1) {
                return true;
            }
            boolean exists = h.createQuery("SELECT COUNT(*) FROM idle_lease WHERE mailbox_id = :id").bind("id", mailboxId)
                    .mapTo(Integer.class).one() > 0;
            if (exists) {
                return false;
            }
            try {
                h.createUpdate("INSERT INTO idle_lease (mailbox_id, node, expires_at, state, since) "
                                + "VALUES (:id, :node, :until, :state, :now)")
                        .bind("id", mailboxId).bind("node", node).bind("until", until)
                        .bind("state", IdleState.STARTING.name()).bind("now", now).execute();
                return true;
            } catch (RuntimeException raced) {
                // another node inserted it first: the lease is theirs
                return false;
            }
        });
    }

    /** Renews every lease {@code node} holds among {@code mailboxIds}; returns those it still holds. */
    public Set<String> renew(String node, Collection<String> mailboxIds, Duration ttl) {
        if (mailboxIds.isEmpty()) {
            return Set.of();
        }
        Instant until = clock.instant().plus(ttl);
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE idle_lease SET expires_at = :until WHERE node = :node AND mailbox_id IN (<ids>)")
                    .bind("until", until).bind("node", node).bindList("ids", List.copyOf(mailboxIds)).execute();
            return Set.copyOf(h.createQuery("SELECT mailbox_id FROM idle_lease WHERE node = :node AND mailbox_id IN (<ids>)")
                    .bind("node", node).bindList("ids", List.copyOf(mailboxIds)).mapTo(String.class).list());
        });
    }

    /**
     * Records what the idler is doing, if {@code node} still holds the lease. {@code since} moves only when the state
     * changes: a connection renewed before its token expires is still "idling since" the first one.
     */
    public void record(String mailboxId, String node, IdleState state, Optional<String> detail) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE idle_lease SET since = CASE WHEN state = :state THEN since ELSE :now END, "
                        + "state = :state, detail = :detail WHERE mailbox_id = :id AND node = :node")
                .bind("state", state.name()).bind("detail", detail.orElse(null)).bind("now", clock.instant())
                .bind("id", mailboxId).bind("node", node).execute());
    }

    /** Gives the lease up at once (a clean stop), so another node can take over without waiting for it to lapse. */
    public void release(String mailboxId, String node) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM idle_lease WHERE mailbox_id = :id AND node = :node")
                .bind("id", mailboxId).bind("node", node).execute());
    }

    public Map<String, IdleLease> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM idle_lease").map(IdleLeaseStore::map).list()).stream()
                .collect(Collectors.toMap(IdleLease::mailboxId, Function.identity()));
    }

    private static IdleLease map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new IdleLease(rs.getString("mailbox_id"), rs.getString("node"), instant(rs, "expires_at"),
                IdleState.valueOf(rs.getString("state")), Optional.ofNullable(rs.getString("detail")), instant(rs, "since"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t.toInstant();
    }
}
