package dev.intake.app.keys;

import dev.intake.app.crypto.KeyRings;
import dev.intake.app.crypto.SecretBox;
import dev.intake.app.store.SealedValueStore;
import dev.intake.config.EncryptionConfig;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encryption keys in use: which key seals new values, how many stored values each key seals, re-sealing with the
 * active key (`intake keys rotate`), and taking new keys from a reloaded configuration without a restart.
 */
public final class KeyOperations {

    private static final Logger log = LoggerFactory.getLogger(KeyOperations.class);

    private final SecretBox box;
    private final SealedValueStore sealed;

    public KeyOperations(SecretBox box, SealedValueStore sealed) {
        this.box = box;
        this.sealed = sealed;
    }

    public String activeKeyId() {
        return box.keys().activeId();
    }

    /** How many stored values each key id seals. */
    public Map<String, Integer> usage() {
        return sealed.usage();
    }

    /** Re-seals every stored secret with the active key; see {@link SealedValueStore#resealWithActiveKey}. */
    public Map<String, Integer> rotate() {
        Map<String, Integer> moved = sealed.resealWithActiveKey(box);
        if (!moved.isEmpty()) {
            log.info("Re-sealed stored secrets with key '{}': {}", box.keys().activeId(), moved);
        }
        return moved;
    }

    /**
     * The configuration's keys changed: new values are sealed with its active key from now on, and when the active key
     * changed, what is stored is re-sealed, so the old key can be retired without a command.
     */
    public void reload(EncryptionConfig previous, EncryptionConfig next) {
        if (previous.equals(next) || !next.isConfigured()) {
            return;
        }
        box.replaceKeys(KeyRings.fromConfig(next, sealed.keyIdsInUse()));
        log.info("Encryption keys reloaded; new values are sealed with key '{}'", next.activeKey().orElseThrow());
        if (!previous.activeKey().equals(next.activeKey())) {
            try {
                rotate();
            } catch (RuntimeException e) {
                log.error("Could not re-seal stored secrets with the new active key: {}. Nothing was changed; "
                        + "run `intake keys rotate` once the cause is fixed.", e.getMessage());
            }
        }
    }
}
