package dev.intake.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final byte[] K1 = Base64.getDecoder().decode(KeyRings.newKeyBase64());
    private static final byte[] K2 = Base64.getDecoder().decode(KeyRings.newKeyBase64());

    private final SecretBox box = new SecretBox(new KeyRing(Map.of("k1", K1), "k1"));

    @Test
    void roundTripsAndNamesTheKeyWithoutShowingThePlaintext() {
        SecretBox.Sealed sealed = box.seal("refresh-token-0123456789", "grant:support");

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.envelope()).startsWith("v1:k1:").doesNotContain("refresh-token");
        assertThat(sealed.toString()).doesNotContain(sealed.envelope());
        assertThat(box.open(sealed.envelope(), "grant:support")).isEqualTo("refresh-token-0123456789");
    }

    @Test
    void everyValueGetsItsOwnNonce() {
        assertThat(box.seal("same", "c").envelope()).isNotEqualTo(box.seal("same", "c").envelope());
    }

    @Test
    void aFlippedByteAnywhereInTheDataFailsTheIntegrityCheck() {
        String envelope = box.seal("refresh-token", "grant:support").envelope();
        String prefix = "v1:k1:";
        byte[] body = Base64.getUrlDecoder().decode(envelope.substring(prefix.length()));
        for (int i = 0; i < body.length; i++) {
            byte[] tampered = body.clone();
            tampered[i] ^= 0x01;
            String bad = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> box.open(bad, "grant:support"))
                    .as("byte %d flipped", i)
                    .isInstanceOf(TamperedException.class)
                    .hasMessageContaining("integrity check");
        }
    }

    @Test
    void aValueMovedToAnotherRowDoesNotOpen() {
        String envelope = box.seal("refresh-token", "grant:support").envelope();
        assertThatThrownBy(() -> box.open(envelope, "grant:sales")).isInstanceOf(TamperedException.class);
    }

    @Test
    void relabellingTheKeyIdDoesNotOpen() {
        SecretBox both = new SecretBox(new KeyRing(Map.of("k1", K1, "k2", K2), "k1"));
        String envelope = both.seal("refresh-token", "ctx").envelope();
        assertThatThrownBy(() -> both.open(envelope.replace("v1:k1:", "v1:k2:"), "ctx"))
                .isInstanceOf(TamperedException.class);
    }

    @Test
    void aMissingKeyIsNamedAndTheOperatorToldWhereToPutItBack() {
        String envelope = new SecretBox(new KeyRing(Map.of("old", K2), "old")).seal("refresh-token", "ctx").envelope();
        assertThatThrownBy(() -> box.open(envelope, "ctx"))
                .isInstanceOf(MissingKeyException.class)
                .hasMessageContaining("key 'old'")
                .hasMessageContaining("encryption.keys.old");
    }

    @Test
    void aWrongKeyUnderTheSameIdFailsAsTampered() {
        String envelope = box.seal("refresh-token", "ctx").envelope();
        SecretBox other = new SecretBox(new KeyRing(Map.of("k1", K2), "k1"));
        assertThatThrownBy(() -> other.open(envelope, "ctx")).isInstanceOf(TamperedException.class)
                .hasMessageContaining("'k1' is not the key it was sealed with");
    }

    @Test
    void garbageIsRejectedClearly() {
        assertThatThrownBy(() -> box.open("not an envelope", "ctx")).isInstanceOf(TamperedException.class);
        assertThatThrownBy(() -> box.open("v1:k1:!!!", "ctx")).isInstanceOf(TamperedException.class);
        assertThatThrownBy(() -> box.open("v1:k1:AAAA", "ctx")).isInstanceOf(TamperedException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void newValuesUseTheActiveKeyAfterTheRingIsReplaced() {
        SecretBox rotating = new SecretBox(new KeyRing(Map.of("k1", K1), "k1"));
        String old = rotating.seal("a", "ctx").envelope();
        rotating.replaceKeys(new KeyRing(Map.of("k1", K1, "k2", K2), "k2"));
        assertThat(rotating.seal("b", "ctx").keyId()).isEqualTo("k2");
        assertThat(rotating.open(old, "ctx")).isEqualTo("a");
    }
}
