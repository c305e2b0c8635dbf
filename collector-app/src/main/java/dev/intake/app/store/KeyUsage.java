package dev.intake.app.store;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/** Which encryption key ids sealed values in the database use, and how many each. */
public final class KeyUsage {

    private static final String[] SEALED_TABLES = {"mailbox_authorization", "oauth_state"};

    private KeyUsage() {
    }

    public static Map<String, Integer> count(Jdbi jdbi) {
        Map<String, Integer> counts = new TreeMap<>();
        jdbi.useHandle(h -> {
            for (String table : SEALED_TABLES) {
                h.createQuery("SELECT key_id, COUNT(*) AS n FROM " + table + " GROUP BY key_id")
                        .map((rs, ctx) -> Map.entry(rs.getString("key_id"), rs.getInt("n")))
                        .forEach(e -> counts.merge(e.getKey(), e.getValue(), Integer::sum));
            }
        });
        return counts;
    }

    public static Set<String> storedKeyIds(Jdbi jdbi) {
        return new TreeSet<>(count(jdbi).keySet());
    }
}
