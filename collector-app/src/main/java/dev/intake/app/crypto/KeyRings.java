package dev.intake.app.crypto;

import dev.intake.config.EncryptionConfig;
import dev.intake.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the {@link KeyRing} from configuration, creating the local key on the embedded default. */
public final class KeyRings {

    /** The id of the key Intake creates itself when no keys are configured. */
    public static final String LOCAL_KEY_ID = "local";

    private static final Logger log = LoggerFactory.getLogger(KeyRings.class);

    private KeyRings() {
    }

    /**
     * @param storedKeyIds the key ids that values already stored are sealed with: Intake never silently makes a new
     *                     local key when stored data needs the old one
     * @throws KeySetupException with a message that says what to do
     */
    public static KeyRing fromConfig(EncryptionConfig config, Set<String> storedKeyIds) {
        if (config.isConfigured()) {
            Map<String, byte[]> raw = new LinkedHashMap<>();
            config.keys().forEach((id, secret) -> raw.put(id, decode(id, secret)));
            for (String needed : storedKeyIds) {
                if (!raw.containsKey(needed)) {
                    log.warn("Stored values are sealed with key '{}', which is not configured; they cannot be read until "
                            + "encryption.keys.{} is added back", needed, needed);
                }
            }
            return new KeyRing(raw, config.activeKey().orElseThrow());
        }
        Path file = config.localKeyFile();
        if (Files.exists(file)) {
            return new KeyRing(Map.of(LOCAL_KEY_ID, readLocalKey(file)), LOCAL_KEY_ID);
        }
        if (!storedKeyIds.isEmpty()) {
            throw new KeySetupException("The database holds values sealed with key(s) " + storedKeyIds + " but the key file "
                    + file.toAbsolutePath() + " is missing. Restore it from your backup (or configure encryption.keys with "
                    + "the old key). Intake will not make a new key: the stored authorizations would be lost.");
        }
        return new KeyRing(Map.of(LOCAL_KEY_ID, createLocalKey(file)), LOCAL_KEY_ID);
    }

    /** A fresh key, base64: what {@code intake keys generate} prints and what the local key file holds. */
    public static String newKeyBase64() {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] decode(String id, Secret secret) {
        try {
            byte[] bytes = Base64.getDecoder().decode(secret.reveal().trim());
            if (bytes.length != KeyRing.KEY_BYTES) {
                throw new KeySetupException("encryption.keys." + id + " is " + bytes.length + " bytes; it must be 32 random bytes, "
                        + "base64 (make one with: head -c 32 /dev/urandom | base64)");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new KeySetupException("encryption.keys." + id + " is not base64; it must be 32 random bytes, base64 "
                    + "(make one with: head -c 32 /dev/urandom | base64)");
        }
    }

    private static byte[] readLocalKey(Path file) {
        try {
            return decode(LOCAL_KEY_ID, Secret.of(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new KeySetupException("The key file " + file.toAbsolutePath() + " cannot be read (" + e.getMessage()
                    + "); check its permissions");
        }
    }

    private static byte[] createLocalKey(Path file) {
        String key = newKeyBase64();
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, key + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException raced) {
            return readLocalKey(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the key file " + file.toAbsolutePath(), e);
        }
        log.info("Created the encryption key {} (mode 600). Back it up with the database: without it the stored "
                + "authorizations cannot be read.", file.toAbsolutePath());
        return Base64.getDecoder().decode(key);
    }
}
