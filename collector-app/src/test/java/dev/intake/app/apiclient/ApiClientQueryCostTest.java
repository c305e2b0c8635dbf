package dev.intake.app.apiclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.GrownDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Checking a token, which every API request does, reads that token and its client, however many tokens the clients
 * hold (refresh tokens live a month); so does revoking one. On H2 with its own row counts ({@code EXPLAIN ANALYZE}),
 * as in {@code LedgerQueryCostTest}.
 */
class ApiClientQueryCostTest {

    static final int HISTORY = 5_000;
    static final long FEW = 10;

    // Two clients; a month of access and refresh tokens, two per authorization, most of them of "portal".
    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> bed.jdbi().useHandle(h -> {
        Instant now = bed.clock().instant();
        h.execute("INSERT INTO api_client (client_id, name, secret_hash, grants, scopes, active, created_at, "
                + "secret_set_at) SELECT C, 'Client ' || C, 'x', 'client_credentials', 'tickets:read', TRUE, ?, ? "
                + "FROM (VALUES ('portal'), ('monitor')) V(C)", now, now);
        h.execute("INSERT INTO api_token (token_hash, kind, client_id, scopes, family, issued_at, expires_at) SELECT "
                + "LPAD(CAST(X AS VARCHAR), 64, '0'), CASE WHEN MOD(X, 2) = 0 THEN 'access' ELSE 'refresh' END, "
                + "CASE WHEN MOD(X, 10) = 0 THEN 'monitor' ELSE 'portal' END, 'tickets:read', "
                + "LPAD(CAST(X / 2 AS VARCHAR), 64, 'f'), ?, ? FROM SYSTEM_RANGE(1, ?)", now,
                now.plus(Duration.ofDays(30)), HISTORY);
    }));

    ApiClientStore store;

    @BeforeEach
    void open() {
        store = new ApiClientStore(db.bed().jdbi(), db.bed().clock());
    }

    static String hash(long n) {
        return "0".repeat(64 - Long.toString(n).length()) + n;
    }

    /** Every API request. */
    @Test
    void aRequestsTokenIsCheckedByReadingIt() {
        assertThat(store.token(hash(4000))).get().extracting(ApiClientStore.TokenRow::clientId).isEqualTo("monitor");
        assertThat(store.token(hash(4001))).get().extracting(ApiClientStore.TokenRow::kind).isEqualTo("refresh");
        assertThat(store.find("portal")).isPresent();
        db.assertEachQueryReadAtMost(FEW);
    }

    /** A client signing out (RFC 7009). */
    @Test
    void revokingATokenReadsIt() {
        store.revokeToken(hash(4001), "portal", "refresh");

        assertThat(store.token(hash(4000))).get().extracting(ApiClientStore.TokenRow::revoked).isEqualTo(true);
        db.assertEachQueryReadAtMost(FEW);
    }
}
