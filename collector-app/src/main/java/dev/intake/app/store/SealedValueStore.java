package dev.intake.app.store;

import dev.intake.app.crypto.SecretBox;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every value sealed with an encryption key, across the tables that hold one: which key ids they use, and re-sealing
 * them with the active key. Re-sealing runs in one transaction, so either every value moves or none does, and locks
 * the rows it re-seals, so a token refresh on a running node waits for the rotation and then reads the new seal.
 */
public final class SealedValueStore {

    /** Each sealed column, the table's key column, and how the seal's context is derived from that key. */
    private record SealedColumn(String table, String idColumn, String column, String contextPrefix) {
    }

    private static final List<SealedColumn> COLUMNS = List.of(
            new SealedColumn("mailbox_authorization", "mailbox_id", "grant_sealed", "grant:"),
            new SealedColumn("oauth_state", "state_hash", "verifier_sealed", "pkce:"));

    private final Jdbi jdbi;

    public SealedValueStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** How many stored values each key id seals. */
    public Map<String, Integer> usage() {
        Map<String, Integer> counts = new TreeMap<>();
        jdbi.useHandle(h -> {
            for (SealedColumn c : COLUMNS) {
                h.createQuery("SELECT key_id, COUNT(*) AS n FROM " + c.table() + " GROUP BY key_id")
                        .map((rs, ctx) -> Map.entry(rs.getString("key_id"), rs.getInt("n")))
                        .forEach(e -> counts.merge(e.getKey(), e.getValue(), Integer::sum));
            }
        });
        return counts;
    }

    public Set<String> keyIdsInUse() {
        return new TreeSet<>(usage().keySet());
    }

    /**
     * Re-seals every value not under the box's active key, idempotently.
     *
     * @return how many values moved, by the key id they moved from (empty when nothing needed to move)
     * @throws dev.intake.app.crypto.MissingKeyException when a stored value needs a key that is not configured; nothing moves
     */
    public Map<String, Integer> resealWithActiveKey(SecretBox box) {
        String active = box.keys().activeId();
        return jdbi.inTransaction(h -> {
            Map<String, Integer> counts = new TreeMap<>();
            for (SealedColumn c : COLUMNS) {
                reseal(h, box, c, active, counts);
            }
            return counts;
        });
    }

    private static void reseal(Handle h, SecretBox box, SealedColumn c, String active, Map<String, Integer> counts) {
        List<String[]> rows = h.createQuery("SELECT " + c.idColumn() + " AS id, " + c.column() + " AS sealed, key_id FROM "
                        + c.table() + " WHERE key_id <> :active FOR UPDATE")
                .bind("active", active)
                .map((rs, ctx) -> new String[] {rs.getString("id").trim(), rs.getString("sealed"), rs.getString("key_id")})
                .list();
        for (String[] row : rows) {
            String id = row[0];
            String context = c.contextPrefix() + id;
            SecretBox.Sealed resealed = box.seal(box.open(row[1], context), context);
            h.createUpdate("UPDATE " + c.table() + " SET " + c.column() + " = :sealed, key_id = :key WHERE " + c.idColumn() + " = :id")
                    .bind("sealed", resealed.envelope()).bind("key", resealed.keyId()).bind("id", id).execute();
            counts.merge(row[2], 1, Integer::sum);
        }
    }
}
