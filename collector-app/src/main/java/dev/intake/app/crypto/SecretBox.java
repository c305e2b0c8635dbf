package dev.intake.app.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals secrets for storage with AES-256-GCM (the JDK's implementation): a random 96-bit nonce per value and
 * the key id in the envelope, so keys can rotate while old values stay readable.
 *
 * <p>Envelope: {@code v1:<key id>:<base64url(nonce || ciphertext || tag)>}. The key id and a caller-given
 * context (for example {@code grant:support}) are authenticated as associated data, so a value cannot be moved
 * to another mailbox's row or relabelled with another key id without failing to open.
 *
 * <p>The key ring can be replaced at run time (configuration reload adds a key or changes the active one).
 */
public final class SecretBox {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private volatile KeyRing keys;

    public SecretBox(KeyRing keys) {
        this.keys = Objects.requireNonNull(keys);
    }

    public void replaceKeys(KeyRing next) {
        this.keys = Objects.requireNonNull(next);
    }

    public KeyRing keys() {
        return keys;
    }

    /** Seals {@code plaintext} with the active key, bound to {@code context}. */
    public Sealed seal(String plaintext, String context) {
        KeyRing ring = keys;
        String keyId = ring.activeId();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, ring.active(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(keyId, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] body = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return new Sealed(VERSION + ":" + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(body), keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK; sealing failed", e);
        }
    }

    /**
     * Opens an envelope made by {@link #seal}.
     *
     * @throws MissingKeyException when the key it names is not configured (nothing is changed or deleted)
     * @throws TamperedException when the envelope is malformed, altered, or sealed for another context
     */
    public String open(String envelope, String context) {
        String[] parts = envelope.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0]) || !KEY_ID.matcher(parts[1]).matches()) {
            throw new TamperedException("a stored secret is not an Intake envelope (expected v1:<key id>:<data>)");
        }
        String keyId = parts[1];
        var key = keys.find(keyId).orElseThrow(() -> new MissingKeyException(keyId));
        byte[] body;
        try {
            body = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new TamperedException("a stored secret sealed with key '" + keyId + "' is corrupted (bad base64)");
        }
        if (body.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new TamperedException("a stored secret sealed with key '" + keyId + "' is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(keyId, context));
            byte[] plain = cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new TamperedException("a stored secret sealed with key '" + keyId
                    + "' failed its integrity check: it was altered, or key '" + keyId + "' is not the key it was sealed with");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK; opening failed", e);
        }
    }

    /** The key id an envelope names, without opening it. */
    public static String keyIdOf(String envelope) {
        String[] parts = envelope.split(":", 3);
        if (parts.length != 3) {
            throw new TamperedException("a stored secret is not an Intake envelope (expected v1:<key id>:<data>)");
        }
        return parts[1];
    }

    private static byte[] associatedData(String keyId, String context) {
        return ("intake:" + VERSION + ":" + keyId + ":" + context).getBytes(StandardCharsets.UTF_8);
    }

    /** A sealed value and the id of the key that sealed it (stored beside it, for rotation queries). */
    public record Sealed(String envelope, String keyId) {
        @Override
        public String toString() {
            return "Sealed[key=" + keyId + "]";
        }
    }
}
