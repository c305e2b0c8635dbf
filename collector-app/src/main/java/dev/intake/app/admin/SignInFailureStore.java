package dev.intake.app.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Slows password guessing down. Failed sign-ins are counted per key (the client's address, and the user name
 * tried); after {@link #FREE_FAILURES} failures a key is blocked for {@link #FIRST_BLOCK}, doubling with every
 * further failure up to {@link #LONGEST_BLOCK}. A key's count is forgotten {@link #FORGET_AFTER} after its last
 * failure, and cleared by a successful sign-in. Counted in the database, so every node of a cluster sees the same
 * guesser.
 */
public final class SignInFailureStore {

    static final int FREE_FAILURES = 5;
    static final Duration FIRST_BLOCK = Duration.ofSeconds(30);
    static final Duration LONGEST_BLOCK = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final Clock clock;

    public SignInFailureStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** How long the longest-blocked of {@code keys} stays blocked; empty when none is. */
    public Optional<Duration> blockedFor(List<String> keys) {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> keys.stream()
                .map(k -> h.createQuery("SELECT blocked_until FROM admin_sign_in_failure WHERE key_hash = :k")
                        .bind("k", hash(k)).mapTo(Instant.class).findOne())
                .flatMap(Optional::stream)
                .filter(until -> until != null && until.isAfter(now))
                .map(until -> Duration.between(now, until))
                .max(Duration::compareTo));
    }

    /**
     * Takes one attempt for every key before its password is checked: counted as a failure at once (a success clears
     * it), under the key's row lock, so that parallel guesses are counted one after the other and the ones past the
     * free failures are refused without spending bcrypt on them.
     *
     * @return how long the attempt must wait when a key is blocked (nothing was counted then); empty to go ahead
     */
    public Optional<Duration> reserveAttempt(List<String> keys) {
        Optional<Duration> blocked = blockedFor(keys);
        if (blocked.isPresent()) {
            return blocked;
        }
        Instant now = clock.instant();
        for (String key : keys) {
            Optional<Instant> until;
            try {
                until = jdbi.inTransaction(h -> countFailure(h, hash(key), now));
            } catch (UnableToExecuteStatementException concurrentFirstFailure) {
                // Another node inserted the row between our read and insert; now it exists, so count again.
                until = jdbi.inTransaction(h -> countFailure(h, hash(key), now));
            }
            if (until.isPresent()) {
                return Optional.of(Duration.between(now, until.get()));
            }
        }
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM admin_sign_in_failure WHERE last_failure_at < :old")
                .bind("old", now.minus(FORGET_AFTER.multipliedBy(24))).execute());
        return Optional.empty();
    }

    /** Counts a failed sign-in against every key (for an attempt that was not reserved). */
    public void recordFailure(List<String> keys) {
        reserveAttempt(keys);
    }

    /** Forgets the failures of every key (after a successful sign-in). */
    public void recordSuccess(List<String> keys) {
        jdbi.useHandle(h -> {
            for (String key : keys) {
                h.createUpdate("DELETE FROM admin_sign_in_failure WHERE key_hash = :k").bind("k", hash(key)).execute();
            }
        });
    }

    /** @return the end of the block when the key was blocked already (then nothing is counted) */
    private static Optional<Instant> countFailure(Handle h, String keyHash, Instant now) {
        Optional<Previous> previous = h.createQuery("SELECT failures, last_failure_at, blocked_until FROM "
                        + "admin_sign_in_failure WHERE key_hash = :k FOR UPDATE")
                .bind("k", keyHash)
                .map((rs, ctx) -> new Previous(rs.getInt("failures"), rs.getTimestamp("last_failure_at").toInstant(),
                        Optional.ofNullable(rs.getTimestamp("blocked_until")).map(java.sql.Timestamp::toInstant)))
                .findOne();
        Optional<Instant> blockedUntil = previous.flatMap(Previous::blockedUntil).filter(until -> until.isAfter(now));
        if (blockedUntil.isPresent()) {
            return blockedUntil;
        }
        int failures = previous.filter(p -> p.lastFailureAt.plus(FORGET_AFTER).isAfter(now)).map(p -> p.failures + 1).orElse(1);
        Instant until = failures >= FREE_FAILURES ? now.plus(block(failures)) : null;
        if (previous.isPresent()) {
            h.createUpdate("UPDATE admin_sign_in_failure SET failures = :f, last_failure_at = :now, blocked_until = :until "
                            + "WHERE key_hash = :k")
                    .bind("f", failures).bind("now", now).bind("until", until).bind("k", keyHash).execute();
        } else {
            h.createUpdate("INSERT INTO admin_sign_in_failure (key_hash, failures, last_failure_at, blocked_until) "
                            + "VALUES (:k, :f, :now, :until)")
                    .bind("k", keyHash).bind("f", failures).bind("now", now).bind("until", until).execute();
        }
        return Optional.empty();
    }

    /** The block after the n-th failure in a row (n at least {@link #FREE_FAILURES}). */
    static Duration block(int failures) {
        int doublings = Math.min(failures - FREE_FAILURES, 20);
        Duration block = FIRST_BLOCK.multipliedBy(1L << doublings);
        return block.compareTo(LONGEST_BLOCK) > 0 ? LONGEST_BLOCK : block;
    }

    private static String hash(String key) {
        return HexFormat.of().formatHex(AdminSessionStore.sha256("intake-throttle:" + key));
    }

    private record Previous(int failures, Instant lastFailureAt, Optional<Instant> blockedUntil) {
    }
}
