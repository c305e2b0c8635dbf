package dev.intake.app.store;

import dev.intake.app.crypto.SecretBox;
import dev.intake.provider.Grant;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Mailbox grants, sealed at rest. The grant is bound to its mailbox (the seal's context), so a grant copied into
 * another mailbox's row does not open.
 */
public final class AuthorizationStore {

    private final Jdbi jdbi;
    private final SecretBox box;
    private final Clock clock;

    public AuthorizationStore(Jdbi jdbi, SecretBox box, Clock clock) {
        this.jdbi = jdbi;
        this.box = box;
        this.clock = clock;
    }

    static String context(String mailboxId) {
        return "grant:" + mailboxId;
    }

    /**
     * Stores a new authorization and makes the mailbox active, in one transaction. Re-authorizing replaces the
     * previous grant atomically: a reader sees the old grant or the new one, never none.
     */
    public void authorize(String mailboxId, String provider, String account, Grant grant) {
        Instant now = clock.instant();
        SecretBox.Sealed sealed = box.seal(grant.material(), context(mailboxId));
        jdbi.useTransaction(h -> {
            MailboxStore.ensure(h, mailboxId, now);
            int updated = h.createUpdate("UPDATE mailbox_authorization SET provider = :provider, account = :account, "
                            + "grant_sealed = :grant, key_id = :key, version = version + 1, authorized_at = :now, "
                            + "refreshed_at = NULL, updated_at = :now WHERE mailbox_id = :id")
                    .bind("provider", provider).bind("account", account).bind("grant", sealed.envelope())
                    .bind("key", sealed.keyId()).bind("now", now).bind("id", mailboxId).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO mailbox_authorization (mailbox_id, provider, account, grant_sealed, key_id, "
                                + "version, authorized_at, updated_at) VALUES (:id, :provider, :account, :grant, :key, 1, :now, :now)")
                        .bind("provider", provider).bind("account", account).bind("grant", sealed.envelope())
                        .bind("key", sealed.keyId()).bind("now", now).bind("id", mailboxId).execute();
            }
            MailboxStore.markActive(h, mailboxId, now);
        });
    }

    public Optional<StoredAuthorization> find(String mailboxId) {
        return jdbi.withHandle(h -> find(h, mailboxId, false));
    }

    /**
     * Reads the authorization and keeps its row locked until {@code tx} ends, which serializes refresh-token rotation
     * across threads and nodes.
     */
    public Optional<StoredAuthorization> findLocked(Transaction tx, String mailboxId) {
        return find(tx.handle(), mailboxId, true);
    }

    private Optional<StoredAuthorization> find(Handle h, String mailboxId, boolean lock) {
        return h.createQuery("SELECT * FROM mailbox_authorization WHERE mailbox_id = :id" + (lock ? " FOR UPDATE" : ""))
                .bind("id", mailboxId)
                .map((rs, ctx) -> new StoredAuthorization(
                        rs.getString("mailbox_id"),
                        rs.getString("provider"),
                        rs.getString("account"),
                        Grant.of(box.open(rs.getString("grant_sealed"), context(mailboxId))),
                        rs.getString("key_id"),
                        rs.getLong("version"),
                        rs.getTimestamp("authorized_at").toInstant(),
                        MailboxStore.instant(rs, "refreshed_at")))
                .findOne();
    }

    /** Writes a rotated grant inside {@code tx} (the row was read with {@link #findLocked} in it). */
    public void saveRotated(Transaction tx, String mailboxId, Grant rotated) {
        Handle h = tx.handle();
        Instant now = clock.instant();
        SecretBox.Sealed sealed = box.seal(rotated.material(), context(mailboxId));
        h.createUpdate("UPDATE mailbox_authorization SET grant_sealed = :grant, key_id = :key, version = version + 1, "
                        + "refreshed_at = :now, updated_at = :now WHERE mailbox_id = :id")
                .bind("grant", sealed.envelope()).bind("key", sealed.keyId()).bind("now", now).bind("id", mailboxId)
                .execute();
    }

    /** Who authorized each mailbox and when, without opening any grant. */
    public Map<String, AuthorizationInfo> infos() {
        Map<String, AuthorizationInfo> infos = new TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT mailbox_id, provider, account, authorized_at, refreshed_at, key_id "
                        + "FROM mailbox_authorization")
                .map((rs, ctx) -> new AuthorizationInfo(rs.getString("mailbox_id"), rs.getString("provider"),
                        rs.getString("account"), rs.getTimestamp("authorized_at").toInstant(),
                        MailboxStore.instant(rs, "refreshed_at"), rs.getString("key_id")))
                .forEach(i -> infos.put(i.mailboxId(), i)));
        return infos;
    }

    /** How many stored grants each key id seals: what key rotation and {@code config check} report. */
    public Map<String, Integer> countByKey() {
        Map<String, Integer> counts = new TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT key_id, COUNT(*) AS n FROM mailbox_authorization GROUP BY key_id")
                .map((rs, ctx) -> Map.entry(rs.getString("key_id"), rs.getInt("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }
}
