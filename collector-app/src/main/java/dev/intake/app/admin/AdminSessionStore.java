package dev.intake.app.admin;

import dev.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Admin sessions in the database, so that any node of a cluster serves a signed-in admin. A session id is 256
 * random bits; only its SHA-256 is stored. A session ends when the admin signs out, after {@link #IDLE} without a
 * request, or {@link #MAX_AGE} after sign-in, whichever comes first.
 */
public final class AdminSessionStore implements AdminSessions {

    public static final Duration IDLE = Duration.ofHours(12);
    public static final Duration MAX_AGE = Duration.ofDays(7);
    /** Last-seen is written at most this often, so that reading pages does not write to the database each time. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Jdbi jdbi;
    private final Clock clock;

    public AdminSessionStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public AdminSession open(String username) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        Secret id = Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        Instant now = clock.instant();
        Instant expires = now.plus(MAX_AGE);
        jdbi.useHandle(h -> {
            h.createUpdate("DELETE FROM admin_session WHERE expires_at < :now OR last_seen_at < :idle")
                    .bind("now", now).bind("idle", now.minus(IDLE)).execute();
            h.createUpdate("INSERT INTO admin_session (id_hash, username, created_at, last_seen_at, expires_at) "
                            + "VALUES (:hash, :u, :now, :now, :expires)")
                    .bind("hash", hash(id)).bind("u", username).bind("now", now).bind("expires", expires).execute();
        });
        return new AdminSession(username, id, csrfToken(id), now, expires);
    }

    @Override
    public Optional<AdminSession> find(String cookieValue) {
        if (cookieValue == null || !ID.matcher(cookieValue).matches()) {
            return Optional.empty();
        }
        Secret id = Secret.of(cookieValue);
        String hash = hash(id);
        Instant now = clock.instant();
        return jdbi.withHandle(h -> h.createQuery("SELECT username, created_at, last_seen_at, expires_at FROM admin_session "
                        + "WHERE id_hash = :hash")
                .bind("hash", hash)
                .map((rs, ctx) -> new Row(rs.getString("username"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("last_seen_at").toInstant(), rs.getTimestamp("expires_at").toInstant()))
                .findOne()
                .filter(r -> now.isBefore(r.expiresAt) && now.isBefore(r.lastSeenAt.plus(IDLE)))
                .map(r -> {
                    if (!now.isBefore(r.lastSeenAt.plus(TOUCH_EVERY))) {
                        h.createUpdate("UPDATE admin_session SET last_seen_at = :now WHERE id_hash = :hash")
                                .bind("now", now).bind("hash", hash).execute();
                    }
                    return new AdminSession(r.username, id, csrfToken(id), r.createdAt, r.expiresAt);
                }));
    }

    @Override
    public void close(Secret id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM admin_session WHERE id_hash = :hash").bind("hash", hash(id)).execute());
    }

    private record Row(String username, Instant createdAt, Instant lastSeenAt, Instant expiresAt) {
    }

    /**
     * The CSRF token is a second hash of the session id, under its own label: a page can carry it, but neither it nor
     * the stored hash leads back to the id.
     */
    private static Secret csrfToken(Secret id) {
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("intake-csrf:" + id.reveal())));
    }

    private static String hash(Secret id) {
        return HexFormat.of().formatHex(sha256("intake-session:" + id.reveal()));
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
