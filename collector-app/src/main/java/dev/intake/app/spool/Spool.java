package dev.intake.app.spool;

import jakarta.mail.util.SharedFileInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of one mail or attachment: in memory while small, in a temporary file when large (see
 * {@link SpoolWriter}), so that a 50 MB message never has to fit in the heap, let alone the several copies that
 * parsing, decoding and storing would make of it. It can be read any number of times; its size and SHA-256 were
 * counted as it was written (for bytes handed over in memory, the SHA-256 when first asked for). Closing it deletes
 * the file; closing twice is harmless.
 */
public final class Spool implements AutoCloseable {

    /** Buffer of the file streams: large enough that reading a big attachment is not a system call per line. */
    private static final int FILE_BUFFER = 64 * 1024;

    /** The content in memory is {@code bytes[offset, offset + size)}; null when it is in {@link #file}. */
    private final byte[] bytes;
    private final int offset;
    private final Path file;
    private final long size;
    /** Counted as a file was written; for bytes in memory, on first use (volatile: often by another thread). */
    private volatile String sha256Hex;

    Spool(byte[] bytes, int offset, Path file, long size, String sha256Hex) {
        this.bytes = bytes;
        this.offset = offset;
        this.file = file;
        this.size = size;
        this.sha256Hex = sha256Hex;
    }

    /**
     * Bytes already in memory; the array is taken over, not copied, and must not change afterwards. Its SHA-256 is
     * counted when first asked for: collection fetches on the run's thread and fingerprints on the parsing threads.
     */
    public static Spool of(byte[] bytes) {
        return new Spool(Objects.requireNonNull(bytes, "bytes"), 0, null, bytes.length, null);
    }

    /**
     * Part of an array already in memory, taken over as {@link #of(byte[])} takes a whole one: for bytes that arrived
     * inside a larger buffer (a server's answer), which would otherwise be copied out once more.
     */
    public static Spool of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
        return new Spool(bytes, offset, null, length, null);
    }

    /** The size as a database streams it in: an int, since JDBC takes no longer stream length. */
    public static int lengthForDatabase(Spool content) {
        if (content.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a value of " + content.size() + " bytes is larger than a database value can"
                    + " be; lower max-attachment-size or max-message-size");
        }
        return (int) content.size();
    }

    public long size() {
        return size;
    }

    /** SHA-256 of the bytes, lower-case hex. */
    public String sha256Hex() {
        String hex = sha256Hex;
        if (hex == null) {
            hex = Sha256.hex(bytes, offset, (int) size); // the same value whichever thread counts it first
            sha256Hex = hex;
        }
        return hex;
    }

    public boolean inMemory() {
        return bytes != null;
    }

    /** A new stream over all the bytes. */
    public InputStream openStream() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes, offset, (int) size)
                : new BufferedInputStream(Files.newInputStream(file), FILE_BUFFER);
    }

    /**
     * A new {@link jakarta.mail.internet.SharedInputStream} that Jakarta Mail can parse without copying: a MimeMessage
     * read from it refers to its parts by position instead of loading them. Close it when done parsing.
     */
    public InputStream openShared() throws IOException {
        return bytes != null ? new ByteArraySharedStream(bytes, offset, offset + (int) size)
                : new SharedFileInputStream(file.toFile(), FILE_BUFFER);
    }

    /** All bytes in one array: for small content (text parts, tests). */
    public byte[] readAllBytes() {
        if (bytes != null) {
            return Arrays.copyOfRange(bytes, offset, offset + (int) size);
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a content of " + size + " bytes does not fit in one array");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the temporary file " + file, e);
        }
    }

    /** At most the first {@code max} bytes. */
    public byte[] head(int max) {
        if (size <= max) {
            return readAllBytes();
        }
        try (InputStream in = openStream()) {
            return in.readNBytes(max);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the temporary file " + file, e);
        }
    }

    /** Deletes the temporary file, if there is one. */
    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // The OS cleans its temp directory; nothing here depends on the file being gone.
            }
        }
    }

    /** Size and where the bytes are; never the bytes. */
    @Override
    public String toString() {
        return "Spool[" + size + " bytes " + (bytes != null ? "in memory" : "in a temporary file") + "]";
    }
}
