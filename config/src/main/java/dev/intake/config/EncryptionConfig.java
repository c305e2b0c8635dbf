package dev.intake.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keys for encrypting what is stored (grants, token caches). Either configured ({@code encryption.keys}
 * and {@code encryption.active-key}) or, when the section is absent, one local key in {@link #localKeyFile()}
 * that Intake creates on the embedded default.
 *
 * @param keys key id to 32 bytes, base64; validated to decode to exactly 32 bytes
 */
public record EncryptionConfig(Optional<String> activeKey, Map<String, Secret> keys, Path localKeyFile) {

    public EncryptionConfig {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /** True when the operator configured keys; false means the local key file is used. */
    public boolean isConfigured() {
        return activeKey.isPresent();
    }
}
