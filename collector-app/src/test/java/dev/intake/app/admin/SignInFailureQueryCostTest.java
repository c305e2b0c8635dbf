package dev.intake.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.GrownDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sign-in's throttling reads the rows of its own keys (its address and user name), however many guessers were
 * counted in the last day. On H2 with its own row counts ({@code EXPLAIN ANALYZE}), as in {@code LedgerQueryCostTest}.
 */
class SignInFailureQueryCostTest {

    static final int FAILURES = 5_000;
    static final long FEW = 5;

    // A day of guessers from thousands of addresses, their failures forgotten or not.
    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> bed.jdbi().useHandle(h -> h.execute("INSERT INTO "
            + "admin_sign_in_failure (key_hash, failures, last_failure_at) SELECT LPAD(CAST(X AS VARCHAR), 64, '0'), "
            + "3, DATEADD(SECOND, -X * 15, CAST(? AS TIMESTAMP WITH TIME ZONE)) FROM SYSTEM_RANGE(1, ?)",
            bed.clock().instant(), FAILURES)));

    SignInFailureStore throttle;

    @BeforeEach
    void open() {
        throttle = new SignInFailureStore(db.bed().jdbi(), db.bed().clock());
    }

    /** Every sign-in attempt: is a key blocked, then one attempt counted per key under its row lock. */
    @Test
    void aSignInReadsItsOwnKeys() {
        List<String> keys = List.of("ip:192.0.2.7", "user:ann");

        assertThat(throttle.reserveAttempt(keys)).isEmpty();
        db.bed().clock().advance(Duration.ofSeconds(1));
        assertThat(throttle.blockedFor(keys)).isEmpty();
        db.assertEachQueryReadAtMost(FEW);
    }
}
