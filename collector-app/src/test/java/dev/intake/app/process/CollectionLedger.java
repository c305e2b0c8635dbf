package dev.intake.app.process;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the nodes wrote, read with plain JDBC from the test JVM: tickets, processed-message records, the run log and
 * Quartz's tables. Process tests judge the nodes by this record, not by what the nodes say about themselves.
 */
final class CollectionLedger {

    /** One collection run as recorded in {@code poll_run}; {@code finishedAt} is empty for a run its node died in. */
    record Run(long id, String mailboxId, String node, Instant startedAt, Optional<Instant> finishedAt, int tickets,
            Optional<String> outcome) {
    }

    /** Two runs of one mailbox whose intervals overlap: what must never happen. */
    record Overlap(Run first, Run second) {
    }

    private final String url;
    private final String user;

    CollectionLedger(String url, String user) {
        this.url = url;
        this.user = user;
    }

    long tickets() {
        return single("SELECT COUNT(*) FROM ticket");
    }

    /** Tickets per Message-ID, for the Message-IDs that have any. */
    Map<String, Long> ticketsPerMessageId() {
        return query("SELECT message_id, COUNT(*) AS n FROM ticket GROUP BY message_id",
                rs -> Map.entry(rs.getString("message_id"), rs.getLong("n")))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Processed-message records per outcome (TICKET, FOLLOWUP, DUPLICATE, REFUSED, ...). */
    Map<String, Long> processedPerOutcome() {
        return query("SELECT outcome, COUNT(*) AS n FROM processed_message GROUP BY outcome",
                rs -> Map.entry(rs.getString("outcome"), rs.getLong("n")))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    long followups() {
        return single("SELECT COUNT(*) FROM followup");
    }

    /** A mailbox's processed-message outcomes per Message-ID, each list sorted (a duplicate has two records). */
    Map<String, List<String>> outcomesPerMessageId(String mailboxId) {
        Map<String, List<String>> outcomes = new java.util.TreeMap<>();
        for (Map.Entry<String, String> row : query("SELECT message_id, outcome FROM processed_message WHERE mailbox_id = '"
                + mailboxId.replace("'", "''") + "'", rs -> Map.entry(String.valueOf(rs.getString(1)), rs.getString(2)))) {
            outcomes.computeIfAbsent(row.getKey(), k -> new ArrayList<>()).add(row.getValue());
        }
        outcomes.values().forEach(list -> list.sort(null));
        return outcomes;
    }

    /** A mailbox's last comparison of its folders with the records. */
    record Check(Instant checkedAt, int checked, int unrecorded, Optional<String> error) {
    }

    Optional<Check> lastReconciliation(String mailboxId) {
        return query("SELECT checked_at, messages_checked, unrecorded, error FROM reconciliation WHERE mailbox_id = '"
                + mailboxId.replace("'", "''") + "'", rs -> new Check(rs.getTimestamp(1).toInstant(), rs.getInt(2),
                        rs.getInt(3), Optional.ofNullable(rs.getString(4)))).stream().findFirst();
    }

    long processed() {
        return single("SELECT COUNT(*) FROM processed_message");
    }

    /** Records whose server-side post-action (move, flag) has not been done yet. */
    long pendingPostActions() {
        return single("SELECT COUNT(*) FROM processed_message WHERE post_action_pending");
    }

    List<Run> runs() {
        return query("SELECT id, mailbox_id, node, started_at, finished_at, tickets, outcome FROM poll_run ORDER BY id",
                rs -> new Run(rs.getLong("id"), rs.getString("mailbox_id"), rs.getString("node"),
                        rs.getTimestamp("started_at").toInstant(),
                        Optional.ofNullable(rs.getTimestamp("finished_at")).map(Timestamp::toInstant),
                        rs.getInt("tickets"), Optional.ofNullable(rs.getString("outcome"))));
    }

    List<Run> runsOf(String node) {
        return runs().stream().filter(r -> r.node().equals(node)).toList();
    }

    /** Mailbox id to state (ACTIVE, NEEDS_REAUTHORIZATION, ...). */
    Map<String, String> mailboxStates() {
        Map<String, String> states = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : query("SELECT id, state FROM mailbox ORDER BY id",
                rs -> Map.entry(rs.getString("id"), rs.getString("state")))) {
            states.put(e.getKey(), e.getValue());
        }
        return states;
    }

    /**
     * Quartz instance ids of the nodes that have checked in (and not yet been declared dead by another node); none
     * before the first node created the tables.
     */
    Set<String> schedulerInstances() {
        if (single("SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) = 'qrtz_scheduler_state'") == 0) {
            return Set.of();
        }
        return new TreeSet<>(query("SELECT instance_name FROM qrtz_scheduler_state", rs -> rs.getString(1)));
    }

    /** An IDLE lease as stored: which node idles for a mailbox, in which state. */
    record Lease(String mailboxId, String node, String state, Instant expiresAt) {
    }

    List<Lease> idleLeases() {
        return query("SELECT mailbox_id, node, state, expires_at FROM idle_lease ORDER BY mailbox_id",
                rs -> new Lease(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
    }

    /** Triggers Quartz has fired and not finished: runs in progress, or runs a dead node left for recovery. */
    long firedTriggers() {
        return single("SELECT COUNT(*) FROM qrtz_fired_triggers");
    }

    /** The fired-trigger rows, to say what was left when there should be none: node, state, mailbox. */
    List<String> firedTriggerRows() {
        return query("SELECT instance_name, state, trigger_name FROM qrtz_fired_triggers",
                rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
    }

    /**
     * Pairs of runs of the same mailbox whose intervals overlap. A run without {@code finished_at} ended when its
     * node died: {@code deaths} gives that moment per node (a run left open by a node not in it ends "never").
     */
    List<Overlap> overlaps(Map<String, Instant> deaths) {
        Function<Run, Instant> end = r -> r.finishedAt().orElseGet(() -> deaths.getOrDefault(r.node(), Instant.MAX));
        Map<String, List<Run>> byMailbox = runs().stream().collect(Collectors.groupingBy(Run::mailboxId));
        List<Overlap> overlaps = new ArrayList<>();
        for (List<Run> runs : byMailbox.values()) {
            List<Run> sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.comparing(Run::startedAt));
            // Sorted by start, intervals are disjoint exactly when each one ends before the next starts.
            for (int i = 1; i < sorted.size(); i++) {
                if (end.apply(sorted.get(i - 1)).isAfter(sorted.get(i).startedAt())) {
                    overlaps.add(new Overlap(sorted.get(i - 1), sorted.get(i)));
                }
            }
        }
        return overlaps;
    }

    private long single(String sql) {
        return query(sql, rs -> rs.getLong(1)).get(0);
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper) {
        try (Connection c = DriverManager.getConnection(url, user, "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + url + ": " + sql, e);
        }
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
