package dev.intake.app.store;

import dev.intake.app.crypto.SecretBox;
import dev.intake.config.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Authorization attempts in flight, in the database so that any node can finish what another began. Only the
 * state's SHA-256 is stored; each state is consumed at most once.
 */
public final class OAuthStateStore {

    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;

    public OAuthStateStore(Jdbi jdbi, SecretBox box, Clock clock) {
        this.jdbi = jdbi;
        this.box = box;
        this.clock = clock;
    }

    public void create(String state, String mailboxId, String provider, Secret verifier, URI redirectUri, Duration ttl) {
        Instant now = clock.instant();
        String hash = hash(state);
        SecretBox.Sealed sealed = box.seal(verifier.reveal(), "pkce:" + hash);
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM oauth_state WHERE expires_at < :now").bind("now", now).execute();
            h.createUpdate("INSERT INTO oauth_state (state_hash, mailbox_id, provider, verifier_sealed, key_id, redirect_uri, "
                            + "created_at, expires_at) VALUES (:hash, :mailbox, :provider, :verifier, :key, :redirect, :now, :expires)")
                    .bind("hash", hash).bind("mailbox", mailboxId).bind("provider", provider)
                    .bind("verifier", sealed.envelope()).bind("key", sealed.keyId()).bind("redirect", redirectUri.toString())
                    .bind("now", now).bind("expires", now.plus(ttl)).execute();
        });
    }

    /**
     * Takes the attempt a state names, if it exists; it is deleted whatever else happens, so it can never be used
     * twice. An expired attempt is returned too (the caller says "expired" rather than "unknown").
     */
    public Optional<PendingAuthorization> consume(String state) {
        String hash = hash(state);
        return jdbi.inTransaction(h -> {
            Optional<PendingAuthorization> found = h.createQuery("SELECT * FROM oauth_state WHERE state_hash = :hash")
                    .bind("hash", hash)
                    .map((rs, ctx) -> new PendingAuthorization(
                            rs.getString("mailbox_id"),
                            rs.getString("provider"),
                            Secret.of(box.open(rs.getString("verifier_sealed"), "pkce:" + hash)),
                            URI.create(rs.getString("redirect_uri")),
                            rs.getTimestamp("expires_at").toInstant()))
                    .findOne();
            // Two callbacks racing with the same state: only the one whose DELETE removes the row goes on.
            int deleted = h.createUpdate("DELETE FROM oauth_state WHERE state_hash = :hash").bind("hash", hash).execute();
            return deleted == 1 ? found : Optional.empty();
        });
    }

    private static String hash(String state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
