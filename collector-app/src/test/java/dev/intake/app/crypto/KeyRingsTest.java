package dev.intake.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.EncryptionConfig;
import dev.intake.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingsTest {

    @Test
    void createsTheLocalKeyOnceWithMode600AndReusesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/intake.key");
        EncryptionConfig local = new EncryptionConfig(Optional.empty(), Map.of(), file);

        KeyRing first = KeyRings.fromConfig(local, Set.of());
        String sealed = new SecretBox(first).seal("x", "c").envelope();

        assertThat(Files.exists(file)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        KeyRing second = KeyRings.fromConfig(local, Set.of(KeyRings.LOCAL_KEY_ID));
        assertThat(new SecretBox(second).open(sealed, "c")).isEqualTo("x");
    }

    @Test
    void neverMakesANewLocalKeyWhenStoredDataNeedsTheOldOne(@TempDir Path dir) {
        Path file = dir.resolve("intake.key");
        EncryptionConfig local = new EncryptionConfig(Optional.empty(), Map.of(), file);

        assertThatThrownBy(() -> KeyRings.fromConfig(local, Set.of("local")))
                .isInstanceOf(KeySetupException.class)
                .hasMessageContaining("Restore it from your backup")
                .hasMessageContaining(file.toAbsolutePath().toString());
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void configuredKeysMustBe32BytesOfBase64() {
        EncryptionConfig shortKey = new EncryptionConfig(Optional.of("k1"), Map.of("k1", Secret.of("c2hvcnQ=")), Path.of("x"));
        assertThatThrownBy(() -> KeyRings.fromConfig(shortKey, Set.of()))
                .isInstanceOf(KeySetupException.class)
                .hasMessageContaining("encryption.keys.k1 is 5 bytes")
                .hasMessageContaining("head -c 32 /dev/urandom | base64");

        EncryptionConfig notBase64 = new EncryptionConfig(Optional.of("k1"), Map.of("k1", Secret.of("%%%")), Path.of("x"));
        assertThatThrownBy(() -> KeyRings.fromConfig(notBase64, Set.of()))
                .isInstanceOf(KeySetupException.class).hasMessageContaining("not base64");
    }

    @Test
    void configuredKeysBuildARingWithTheActiveKey() {
        EncryptionConfig cfg = new EncryptionConfig(Optional.of("k2"),
                Map.of("k1", Secret.of(KeyRings.newKeyBase64()), "k2", Secret.of(KeyRings.newKeyBase64())), Path.of("x"));
        KeyRing ring = KeyRings.fromConfig(cfg, Set.of("k1"));
        assertThat(ring.activeId()).isEqualTo("k2");
        assertThat(ring.ids()).containsExactly("k1", "k2");
    }
}
