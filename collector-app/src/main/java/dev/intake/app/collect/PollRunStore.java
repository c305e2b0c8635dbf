package dev.intake.app.collect;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The record of collection runs: the admin's "recent runs", and proof that no mailbox ran on two nodes at once. */
public final class PollRunStore implements RunHistory {

    private final Jdbi jdbi;
    private final Clock clock;

    public PollRunStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public long start(String mailboxId, String node) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO poll_run (mailbox_id, node, started_at) VALUES (:m, :n, :now)")
                .bind("m", mailboxId).bind("n", node).bind("now", clock.instant())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    public void finish(long runId, PollSummary summary, String outcome, Optional<String> error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE poll_run SET finished_at = :now, fetched = :fetched, tickets = :tickets, "
                        + "followups = :followups, refused = :refused, failed = :failed, outcome = :outcome, error = :error "
                        + "WHERE id = :id")
                .bind("now", clock.instant()).bind("fetched", summary.fetched()).bind("tickets", summary.tickets())
                .bind("followups", summary.followups()).bind("refused", summary.refusedTotal())
                .bind("failed", summary.failed()).bind("outcome", outcome).bind("error", error.orElse(null))
                .bind("id", runId).execute());
    }

    /**
     * Deletes the runs started before {@code cutoff}, a chunk at a time so that no transaction holds a day of a large
     * node's runs.
     *
     * @return how many were deleted
     */
    public int deleteStartedBefore(Instant cutoff) {
        return deleteStartedBefore(cutoff, 10_000);
    }

    int deleteStartedBefore(Instant cutoff, int chunkSize) {
        int deleted = 0;
        while (true) {
            int chunk = jdbi.withHandle(h -> h.createUpdate("DELETE FROM poll_run WHERE id IN (SELECT id FROM poll_run "
                            + "WHERE started_at < :cutoff ORDER BY started_at LIMIT :chunk)")
                    .bind("cutoff", cutoff).bind("chunk", chunkSize).execute());
            deleted += chunk;
            if (chunk < chunkSize) {
                return deleted;
            }
        }
    }

    @Override
    public List<PollRun> recent(String mailboxId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM poll_run WHERE mailbox_id = :m "
                        // ordered by the mailbox too, so that H2 reads poll_run_mailbox (mailbox_id, id) backwards for the
                        // newest runs instead of reading all of the mailbox's runs and sorting them
                        + "ORDER BY mailbox_id DESC, id DESC LIMIT :limit")
                .bind("m", mailboxId).bind("limit", limit)
                .map((rs, ctx) -> new PollRun(rs.getLong("id"), rs.getString("mailbox_id"), rs.getString("node"),
                        rs.getTimestamp("started_at").toInstant(),
                        Optional.ofNullable(rs.getTimestamp("finished_at")).map(java.sql.Timestamp::toInstant),
                        rs.getInt("fetched"), rs.getInt("tickets"), rs.getInt("followups"), rs.getInt("refused"),
                        rs.getInt("failed"), Optional.ofNullable(rs.getString("outcome")),
                        Optional.ofNullable(rs.getString("error"))))
                .list());
    }
}
