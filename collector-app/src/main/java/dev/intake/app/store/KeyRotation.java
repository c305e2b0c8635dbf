package dev.intake.app.store;

import dev.intake.app.crypto.SecretBox;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-seals every stored secret with the active key, in one transaction: either every value moves or none does.
 * Rows are locked while they are re-sealed, so a token refresh on a running node waits for the rotation and then
 * reads the re-sealed grant. Idempotent: values already under the active key are left alone.
 */
public final class KeyRotation {

    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    /** Each sealed column, the table's key column, and how the seal's context is derived from that key. */
    private record SealedColumn(String table, String idColumn, String column, String contextPrefix) {
    }

    private static final List<SealedColumn> COLUMNS = List.of(
            new SealedColumn("mailbox_authorization", "mailbox_id", "grant_sealed", "grant:"),
            new SealedColumn("oauth_state", "state_hash", "verifier_sealed", "pkce:"));

    private final Jdbi jdbi;
    private final SecretBox box;

    public KeyRotation(Jdbi jdbi, SecretBox box) {
        this.jdbi = jdbi;
        this.box = box;
    }

    /**
     * @return how many values moved, by the key id they moved from (empty when nothing needed to move)
     * @throws dev.intake.app.crypto.MissingKeyException when a stored value needs a key that is not configured; nothing moves
     */
    public Map<String, Integer> rotate() {
        String active = box.keys().activeId();
        Map<String, Integer> moved = jdbi.inTransaction(h -> {
            Map<String, Integer> counts = new TreeMap<>();
            for (SealedColumn c : COLUMNS) {
                reseal(h, c, active, counts);
            }
            return counts;
        });
        if (!moved.isEmpty()) {
            log.info("Re-sealed stored secrets with key '{}': {}", active, moved);
        }
        return moved;
    }

    private void reseal(Handle h, SealedColumn c, String active, Map<String, Integer> counts) {
        List<String[]> rows = h.createQuery("SELECT " + c.idColumn() + " AS id, " + c.column() + " AS sealed, key_id FROM "
                        + c.table() + " WHERE key_id <> :active FOR UPDATE")
                .bind("active", active)
                .map((rs, ctx) -> new String[] {rs.getString("id").trim(), rs.getString("sealed"), rs.getString("key_id")})
                .list();
        for (String[] row : rows) {
            String id = row[0];
            String from = row[2];
            String context = c.contextPrefix() + id;
            SecretBox.Sealed resealed = box.seal(box.open(row[1], context), context);
            h.createUpdate("UPDATE " + c.table() + " SET " + c.column() + " = :sealed, key_id = :key WHERE " + c.idColumn() + " = :id")
                    .bind("sealed", resealed.envelope()).bind("key", resealed.keyId()).bind("id", id).execute();
            counts.merge(from, 1, Integer::sum);
        }
    }
}
