package dev.intake.provider;

import dev.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A PKCE pair (RFC 7636, S256): a verifier of 32 random bytes, base64url without padding (43 characters),
 * and its SHA-256 challenge. One per authorization attempt.
 */
public record Pkce(Secret verifier, String challenge) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static Pkce generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return fromVerifier(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public static Pkce fromVerifier(String verifier) {
        return new Pkce(Secret.of(verifier), challengeOf(verifier));
    }

    public static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public String method() {
        return "S256";
    }
}
