package dev.intake.app.mail;

import dev.intake.app.spool.Spool;
import dev.intake.app.spool.SpoolWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The decoded content of one part, read as a stream: counted and hashed as it passes, and kept only up to a
 * limit, in a {@link Spool} (memory, or a temporary file when large). An oversize attachment therefore costs a
 * read, never its size in memory or on disk.
 *
 * @param kept   the bytes, when they fit the limit
 * @param size   the decoded size, counted to the end even when not kept
 * @param sha256 hex SHA-256 of all bytes read
 * @param damage why reading stopped early (for example base64 that breaks off), when it did; what was read
 *               before that is still counted and kept
 */
record PartContent(Optional<Spool> kept, long size, String sha256, Optional<String> damage) {

    private static final int BUFFER = 16 * 1024;

    /**
     * Reads an attachment: kept up to {@code maxKept} bytes, in a temporary file when large.
     *
     * @param expectedSize the decoded size to expect, 0 when unknown (see {@link SpoolWriter#SpoolWriter(int, long)})
     */
    static PartContent read(InputStream in, long maxKept, long expectedSize) {
        return read(in, maxKept, SpoolWriter.DEFAULT_MEMORY_LIMIT, expectedSize);
    }

    /** Reads a text part, which is wanted as a string anyway: always in memory. */
    static PartContent readText(InputStream in, long expectedSize) {
        return read(in, Long.MAX_VALUE, Integer.MAX_VALUE - 16, expectedSize);
    }

    private static PartContent read(InputStream in, long maxKept, int memoryLimit, long expectedSize) {
        SpoolWriter spool = new SpoolWriter(memoryLimit, Math.min(expectedSize, maxKept));
        MessageDigest dropped = null;
        long size = 0;
        Optional<String> damage = Optional.empty();
        byte[] chunk = new byte[BUFFER];
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                size += n;
                if (dropped == null && size > maxKept) {
                    // Too large to keep: from here on only counted and hashed, and what was written is deleted.
                    dropped = spool.digestSoFar();
                    spool.close();
                }
                if (dropped == null) {
                    write(spool, chunk, n);
                } else {
                    dropped.update(chunk, 0, n);
                }
            }
        } catch (SpoolFailure e) {
            closeQuietly(spool);
            throw new UncheckedIOException("could not write a temporary file for an attachment: " + e.cause.getMessage(),
                    e.cause);
        } catch (IOException | RuntimeException e) {
            // Decoders throw on broken encodings (truncated base64...): keep what came before the break.
            damage = Optional.of(describe(e));
        }
        if (dropped != null) {
            return new PartContent(Optional.empty(), size, HexFormat.of().formatHex(dropped.digest()), damage);
        }
        try {
            Spool kept = spool.finish();
            return new PartContent(Optional.of(kept), size, kept.sha256Hex(), damage);
        } catch (IOException e) {
            closeQuietly(spool);
            throw new UncheckedIOException("could not write a temporary file for an attachment", e);
        }
    }

    /** A failure of our own temporary file, which is not damage in the mail and must not pass for it. */
    private static void write(SpoolWriter spool, byte[] chunk, int n) {
        try {
            spool.write(chunk, 0, n);
        } catch (IOException e) {
            throw new SpoolFailure(e);
        }
    }

    private static final class SpoolFailure extends RuntimeException {
        final IOException cause;

        SpoolFailure(IOException cause) {
            super(null, cause, false, false);
            this.cause = cause;
        }
    }

    static String sha256Hex(byte[] bytes) {
        return Spool.of(bytes).sha256Hex();
    }

    private static void closeQuietly(SpoolWriter spool) {
        try {
            spool.close();
        } catch (IOException e) {
            // The temp directory is the OS's to clean.
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : TextCleanup.line(message);
    }
}
