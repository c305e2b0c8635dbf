package dev.intake.app.crypto;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** The encryption keys Intake knows, by id, and the one new values are sealed with. */
public final class KeyRing {

    public static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final String activeId;

    public KeyRing(Map<String, byte[]> rawKeys, String activeId) {
        if (!rawKeys.containsKey(activeId)) {
            throw new IllegalArgumentException("active key '" + activeId + "' is not among the keys " + new TreeSet<>(rawKeys.keySet()));
        }
        this.keys = rawKeys.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> toKey(e.getKey(), e.getValue())));
        this.activeId = activeId;
    }

    private static SecretKey toKey(String id, byte[] bytes) {
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("key '" + id + "' has " + bytes.length + " bytes; AES-256 needs " + KEY_BYTES);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    public String activeId() {
        return activeId;
    }

    SecretKey active() {
        return keys.get(activeId);
    }

    Optional<SecretKey> find(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    public Set<String> ids() {
        return new TreeSet<>(keys.keySet());
    }
}
