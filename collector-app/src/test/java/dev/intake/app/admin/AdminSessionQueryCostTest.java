package dev.intake.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.GrownDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finding the admin's session, which every page of the web UI does, reads that session, however many sessions are
 * open. On H2 with its own row counts ({@code EXPLAIN ANALYZE}), as in {@code LedgerQueryCostTest}.
 */
class AdminSessionQueryCostTest {

    static final int SESSIONS = 5_000;
    static final long FEW = 5;

    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> bed.jdbi().useHandle(h -> {
        Instant now = bed.clock().instant();
        h.execute("INSERT INTO admin_session (id_hash, username, created_at, last_seen_at, expires_at) SELECT "
                + "LPAD(CAST(X AS VARCHAR), 64, '0'), 'admin' || MOD(X, 7), ?, ?, ? FROM SYSTEM_RANGE(1, ?)", now, now,
                now.plus(Duration.ofDays(7)), SESSIONS);
    }));

    AdminSessionStore sessions;

    @BeforeEach
    void open() {
        sessions = new AdminSessionStore(db.bed().jdbi(), db.bed().clock());
    }

    /** Every page of the web UI, and (once a minute) the update of its last use. */
    @Test
    void aPageFindsItsSessionByReadingIt() {
        AdminSession mine = sessions.open("ann");
        db.bed().clock().advance(Duration.ofMinutes(2));

        assertThat(sessions.find(mine.id().reveal())).get().extracting(AdminSession::username).isEqualTo("ann");
        assertThat(sessions.find(mine.id().reveal())).isPresent();
        db.assertEachQueryReadAtMost(FEW);
    }
}
