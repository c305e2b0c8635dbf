package dev.intake.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Mailbox lifecycle and collection health, one row per mailbox. */
public final class MailboxStore {

    private final Jdbi jdbi;
    private final Clock clock;

    public MailboxStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Makes sure a configured mailbox has its row; a new one starts as {@link MailboxState#NOT_AUTHORIZED}. */
    public void ensure(String id) {
        jdbi.useHandle(h -> ensure(h, id, clock.instant()));
    }

    static void ensure(Handle h, String id, Instant now) {
        int exists = h.createQuery("SELECT COUNT(*) FROM mailbox WHERE id = :id").bind("id", id).mapTo(Integer.class).one();
        if (exists == 0) {
            h.createUpdate("INSERT INTO mailbox (id, state, consecutive_failures, created_at, updated_at) "
                            + "VALUES (:id, :state, 0, :now, :now)")
                    .bind("id", id).bind("state", MailboxState.NOT_AUTHORIZED.name()).bind("now", now).execute();
        }
    }

    /**
     * Makes sure a configured mailbox's row fits how it is opened. An app-only mailbox needs no one to authorize it:
     * it is active from the start, and one that was waiting for (re-)authorization becomes active when the operator
     * switches it to {@code auth: app}. A delegated mailbox without a stored grant waits for an authorization, also
     * after it was app-only; one with a grant keeps its state.
     */
    public void ensure(String id, boolean appOnly) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> {
            ensure(h, id, now);
            if (appOnly) {
                h.createUpdate("UPDATE mailbox SET state = :active, state_reason = NULL, updated_at = :now "
                                + "WHERE id = :id AND state <> :active")
                        .bind("active", MailboxState.ACTIVE.name()).bind("now", now).bind("id", id).execute();
            } else {
                h.createUpdate("UPDATE mailbox SET state = :waiting, updated_at = :now WHERE id = :id AND state = :active "
                                + "AND NOT EXISTS (SELECT 1 FROM mailbox_authorization a WHERE a.mailbox_id = :id)")
                        .bind("waiting", MailboxState.NOT_AUTHORIZED.name()).bind("active", MailboxState.ACTIVE.name())
                        .bind("now", now).bind("id", id).execute();
            }
        });
    }

    public Optional<MailboxRecord> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM mailbox WHERE id = :id").bind("id", id)
                .map(MailboxStore::map).findOne());
    }

    public List<MailboxRecord> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM mailbox ORDER BY id").map(MailboxStore::map).list());
    }

    /** An admin authorized it: collection starts (again), earlier failures are forgotten. */
    static void markActive(Handle h, String id, Instant now) {
        h.createUpdate("UPDATE mailbox SET state = :state, state_reason = NULL, consecutive_failures = 0, "
                        + "next_attempt_at = NULL, updated_at = :now WHERE id = :id")
                .bind("state", MailboxState.ACTIVE.name()).bind("now", now).bind("id", id).execute();
    }

    /** The provider refused the grant: stop polling and tell the admin why. */
    public void markNeedsReauthorization(String id, String reason) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("UPDATE mailbox SET state = :state, state_reason = :reason, last_error = :reason, "
                        + "last_error_at = :now, updated_at = :now WHERE id = :id")
                .bind("state", MailboxState.NEEDS_REAUTHORIZATION.name()).bind("reason", reason).bind("now", now)
                .bind("id", id).execute());
    }

    /** An admin paused or resumed collection from the UI (the configuration's {@code paused} is separate). */
    public void setPausedByAdmin(String id, boolean paused) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> {
            ensure(h, id, now);
            h.createUpdate("UPDATE mailbox SET paused_by_admin = :p, updated_at = :now WHERE id = :id")
                    .bind("p", paused).bind("now", now).bind("id", id).execute();
        });
    }

    public void recordTokenRefresh(String id) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("UPDATE mailbox SET last_token_at = :now, updated_at = :now WHERE id = :id")
                .bind("now", now).bind("id", id).execute());
    }

    public void recordSuccess(String id) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("UPDATE mailbox SET last_poll_at = :now, last_success_at = :now, "
                        + "consecutive_failures = 0, next_attempt_at = NULL, updated_at = :now WHERE id = :id")
                .bind("now", now).bind("id", id).execute());
    }

    /** @return the number of consecutive failures including this one */
    public int recordFailure(String id, String error, Instant nextAttemptAt) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE mailbox SET last_poll_at = :now, last_error = :error, last_error_at = :now, "
                            + "consecutive_failures = consecutive_failures + 1, next_attempt_at = :next, updated_at = :now "
                            + "WHERE id = :id")
                    .bind("now", now).bind("error", error).bind("next", nextAttemptAt).bind("id", id).execute();
            return h.createQuery("SELECT consecutive_failures FROM mailbox WHERE id = :id").bind("id", id)
                    .mapTo(Integer.class).one();
        });
    }

    private static MailboxRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new MailboxRecord(
                rs.getString("id"),
                MailboxState.valueOf(rs.getString("state")),
                Optional.ofNullable(rs.getString("state_reason")),
                instant(rs, "last_poll_at"),
                instant(rs, "last_success_at"),
                Optional.ofNullable(rs.getString("last_error")),
                instant(rs, "last_error_at"),
                rs.getInt("consecutive_failures"),
                instant(rs, "next_attempt_at"),
                instant(rs, "last_token_at"),
                rs.getBoolean("paused_by_admin"));
    }

    static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
