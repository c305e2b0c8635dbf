package dev.intake.app.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The decoded content of one part, read as a stream: counted and hashed as it passes, and kept only up to a
 * limit. An oversize attachment therefore costs a read, never its size in memory.
 *
 * @param kept   the bytes, when they fit the limit
 * @param size   the decoded size, counted to the end even when not kept
 * @param sha256 hex SHA-256 of all bytes read
 * @param damage why reading stopped early (for example base64 that breaks off), when it did; what was read
 *               before that is still counted and kept
 */
record PartContent(Optional<byte[]> kept, long size, String sha256, Optional<String> damage) {

    private static final int BUFFER = 16 * 1024;

    static PartContent read(InputStream in, long maxKept) {
        MessageDigest digest = newSha256();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        boolean keeping = true;
        long size = 0;
        Optional<String> damage = Optional.empty();
        byte[] chunk = new byte[BUFFER];
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                digest.update(chunk, 0, n);
                size += n;
                if (keeping && size > maxKept) {
                    keeping = false;
                    buffer = null; // let it go now: the rest is only counted
                }
                if (keeping) {
                    buffer.write(chunk, 0, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Decoders throw on broken encodings (truncated base64...): keep what came before the break.
            damage = Optional.of(describe(e));
        }
        return new PartContent(keeping ? Optional.of(buffer.toByteArray()) : Optional.empty(), size,
                HexFormat.of().formatHex(digest.digest()), damage);
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : TextCleanup.line(message);
    }
}
