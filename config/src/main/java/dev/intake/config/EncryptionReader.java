package dev.intake.config;

import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code encryption}: the configured AES-256 keys, or the local key file used when there are none. */
final class EncryptionReader {

    static final List<String> KEYS = List.of("active-key", "keys", "key-file");
    static final String MAKE_A_KEY = "make a key with: head -c 32 /dev/urandom | base64";

    /** Key ids are written into every ciphertext, so they stay short and plain. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private EncryptionReader() {
    }

    static EncryptionConfig read(Section top, DatabaseConfig database) {
        Section s = top.section("encryption", KEYS, "active-key, keys, key-file");
        YamlNode.Mapping written = s.namedEntries("keys", "key id: base64 of 32 bytes");
        Map<String, Secret> keys = keys(s, written);
        Optional<String> activeKey = s.optionalString("active-key");
        // Checked against the ids written, so a key that is itself wrong is not reported twice.
        String ids = String.join(", ", written.entries().keySet());
        if (activeKey.isPresent() && written.entries().isEmpty()) {
            s.problems().add(s.path("keys"), "missing; active-key names a key, so add it: keys: {"
                    + activeKey.get() + ": ${file:./secrets/intake-key-" + activeKey.get() + "}}; " + MAKE_A_KEY,
                    s.line());
        } else if (activeKey.isPresent() && !written.entries().containsKey(activeKey.get())) {
            s.problems().add(s.path("active-key"), "'" + activeKey.get() + "' is not one of the keys (" + ids + ");"
                    + " add it under encryption.keys or name one of those", s.line("active-key"));
        } else if (activeKey.isEmpty() && !written.entries().isEmpty()) {
            s.problems().add(s.path("active-key"), "missing; name the key new data is encrypted with, one of: " + ids,
                    s.line());
        }

        Optional<Path> keyFile = s.optionalString("key-file").map(f -> s.context().baseDir().resolve(f).normalize());
        if (activeKey.isEmpty() && keyFile.isEmpty() && database.isPostgresql()) {
            s.problems().add(s.path("keys"), "missing; with PostgreSQL several nodes share the stored grants, so every"
                    + " node needs the same keys: set encryption.active-key and encryption.keys (" + MAKE_A_KEY + ")",
                    s.line());
        }
        return new EncryptionConfig(activeKey, keys, keyFile.orElse(Defaults.localKeyFile(database.url())));
    }

    private static Map<String, Secret> keys(Section s, YamlNode.Mapping written) {
        Map<String, Secret> keys = new LinkedHashMap<>();
        for (YamlNode.Entry entry : written.entries().values()) {
            String at = s.path("keys") + "." + entry.key();
            if (!KEY_ID.matcher(entry.key()).matches()) {
                s.problems().add(at, "'" + entry.key() + "' is not a usable key id; use up to 32 letters, digits,"
                        + " '-' and '_' (every ciphertext names its key by this id)", entry.line());
                continue;
            }
            Optional<SecretReferences.Resolved> value = Section.scalar(entry.value(), at, s.context(), true);
            if (value.isEmpty() || value.get().value().isEmpty()) {
                if (value.isPresent()
                        || (entry.value() instanceof YamlNode.Scalar sc && sc.type() == YamlNode.Type.NULL)) {
                    s.problems().add(at, "is empty; " + MAKE_A_KEY, entry.line());
                }
                continue;
            }
            if (!isAesKey(value.get().value())) {
                // Never the value: it is (or is meant to be) a key.
                s.problems().add(at, "is not base64 of exactly 32 bytes (an AES-256 key); " + MAKE_A_KEY, entry.line());
                continue;
            }
            keys.put(entry.key(), Secret.of(value.get().value().trim()));
        }
        return keys;
    }

    private static boolean isAesKey(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim()).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
