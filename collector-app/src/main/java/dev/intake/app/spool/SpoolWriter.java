package dev.intake.app.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Writes a {@link Spool}: into memory up to a limit, then into a temporary file (readable by this user only), with
 * the size and SHA-256 counted on the way. {@link #finish()} hands the bytes over; closing an unfinished writer
 * deletes what it wrote.
 *
 * <p>Given the size to expect, the memory is taken at once, and {@link #finish()} hands over the buffer itself rather
 * than a copy: every attachment passes through here, and growing a buffer by doubling and copying it out at the end
 * had allocated about three times each attachment's size.
 */
public final class SpoolWriter extends OutputStream {

    /** Content up to this size stays in memory: most mail and attachments, and a handful of them per thread. */
    public static final int DEFAULT_MEMORY_LIMIT = 1024 * 1024;

    private static final int FIRST_CAPACITY = 256;

    private final int memoryLimit;
    private final MessageDigest digest = Sha256.newDigest();
    /** The content while in memory: {@code memory[0, size)}; null once it went to the file. */
    private byte[] memory;
    private Path file;
    private OutputStream fileOut;
    private long size;
    private boolean finished;

    public SpoolWriter() {
        this(DEFAULT_MEMORY_LIMIT);
    }

    public SpoolWriter(int memoryLimit) {
        this(memoryLimit, 0);
    }

    /**
     * @param expectedSize the size the content will probably have (0 when unknown): memory for that much, up to the
     *                     limit, is taken at once
     */
    public SpoolWriter(int memoryLimit, long expectedSize) {
        this.memoryLimit = memoryLimit;
        this.memory = new byte[(int) Math.max(1, Math.min(memoryLimit, expectedSize > 0 ? expectedSize : FIRST_CAPACITY))];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("this spool is finished");
        }
        digest.update(b, off, len);
        long before = size;
        size += len;
        if (fileOut == null && size > memoryLimit) {
            file = Files.createTempFile("intake-", ".spool");
            fileOut = Files.newOutputStream(file);
            fileOut.write(memory, 0, (int) before);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
            return;
        }
        if (size > memory.length) {
            memory = Arrays.copyOf(memory, (int) Math.min(memoryLimit, Math.max(size, 2L * memory.length)));
        }
        System.arraycopy(b, off, memory, (int) before, len);
    }

    /**
     * A copy of the SHA-256 state so far, for a caller that stops keeping the content but still needs the hash of
     * all of it.
     */
    public MessageDigest digestSoFar() {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /** The content written; the writer is done, and the spool (and its file) now belongs to the caller. */
    public Spool finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("finish() was called already");
        }
        finished = true;
        String sha = Sha256.hex(digest);
        if (fileOut == null) {
            // Handed over as it is unless the expected size was far off: then what is kept is only the content.
            byte[] bytes = memory.length - size > Math.max(4096, size / 8) ? Arrays.copyOf(memory, (int) size) : memory;
            memory = null;
            return new Spool(bytes, 0, null, size, sha);
        }
        fileOut.close();
        Spool spool = new Spool(null, 0, file, size, sha);
        file = null;
        return spool;
    }

    /** Deletes what was written unless {@link #finish()} handed it over. */
    @Override
    public void close() throws IOException {
        if (fileOut != null) {
            fileOut.close();
        }
        if (file != null) {
            Files.deleteIfExists(file);
            file = null;
        }
        finished = true;
    }
}
