package dev.intake.app.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Writes a {@link Spool}: into memory up to a limit, then into a temporary file (readable by this user only), with
 * the size and SHA-256 counted on the way. {@link #finish()} hands the bytes over; closing an unfinished writer
 * deletes what it wrote.
 */
public final class SpoolWriter extends OutputStream {

    /** Content up to this size stays in memory: most mail and attachments, and a handful of them per thread. */
    public static final int DEFAULT_MEMORY_LIMIT = 1024 * 1024;

    private final int memoryLimit;
    private final MessageDigest digest = Sha256.newDigest();
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream fileOut;
    private long size;
    private boolean finished;

    public SpoolWriter() {
        this(DEFAULT_MEMORY_LIMIT);
    }

    public SpoolWriter(int memoryLimit) {
        this.memoryLimit = memoryLimit;
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
        size += len;
        if (fileOut == null && memory.size() + (long) len > memoryLimit) {
            file = Files.createTempFile("intake-", ".spool");
            fileOut = Files.newOutputStream(file);
            memory.writeTo(fileOut);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
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
            byte[] bytes = memory.toByteArray();
            memory = null;
            return new Spool(bytes, null, size, sha);
        }
        fileOut.close();
        Spool spool = new Spool(null, file, size, sha);
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
