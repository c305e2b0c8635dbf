package dev.intake.app.cli;

import dev.intake.app.store.Database;
import dev.intake.app.store.SealedValueStore;
import dev.intake.config.EncryptionConfig;
import dev.intake.config.IntakeConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code config check} says about encryption keys against what is stored: a stored value whose key the
 * configuration lacks is a problem; a configured key no stored value needs may be removed.
 */
final class StoredKeys {

    private StoredKeys() {
    }

    static void check(IntakeConfig config, List<String> problems, List<String> notes) {
        Map<String, Integer> usage;
        try (Database db = Database.open(config.database(), false)) {
            usage = new SealedValueStore(db.jdbi()).usage();
        } catch (RuntimeException e) {
            String why = firstLine(e);
            if (why.contains("already open in another Intake process")) {
                notes.add("database: a node is running on this H2 file; stored values were not checked");
            } else if (why.contains("not found") && config.database().isH2()) {
                notes.add("database: the H2 file does not exist yet; the first `intake run` creates it");
            } else {
                // Wrong user or password, a server that refuses or does not answer: intake run would fail the same way.
                problems.add("database: cannot be opened with database.url, database.user and database.password: " + why);
            }
            return;
        }
        EncryptionConfig enc = config.encryption();
        Set<String> configured = enc.isConfigured() ? new TreeSet<>(enc.keys().keySet()) : Set.of("local");
        for (Map.Entry<String, Integer> e : usage.entrySet()) {
            if (!configured.contains(e.getKey())) {
                problems.add("encryption.keys: " + e.getValue() + " stored value(s) are sealed with key '" + e.getKey()
                        + "', which is not configured; add it back under encryption.keys." + e.getKey()
                        + " (then run `intake keys rotate` to move them to the active key)");
            }
        }
        notes.add("encryption: stored values by key: " + describe(usage));
        if (enc.isConfigured()) {
            for (String id : configured) {
                if (!usage.containsKey(id) && !id.equals(enc.activeKey().orElse(""))) {
                    notes.add("encryption: key '" + id + "' seals no stored value: it can be removed from encryption.keys");
                } else if (usage.containsKey(id) && !id.equals(enc.activeKey().orElse(""))) {
                    notes.add("encryption: key '" + id + "' still seals " + usage.get(id) + " value(s): keep it, or run "
                            + "`intake keys rotate` to move them to '" + enc.activeKey().orElse("") + "'");
                }
            }
        }
    }

    /** "k1: 2 values, k2: 1 value", or "none yet". */
    static String describe(Map<String, Integer> usage) {
        if (usage.isEmpty()) {
            return "none yet";
        }
        return usage.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue() + (e.getValue() == 1 ? " value" : " values"))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
