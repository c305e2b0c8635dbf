package dev.intake.app.spool;

import jakarta.mail.internet.SharedInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * Jakarta Mail's {@link jakarta.mail.util.SharedByteArrayInputStream} without the locking: the same window on an
 * array, with the same positions and sub-streams, but no {@code synchronized} method.
 *
 * <p>Why it exists: {@code MimeMultipart} finds boundaries by marking, reading a boundary's length, resetting and
 * skipping, four calls per few dozen bytes of the mail. On {@code ByteArrayInputStream}, whose methods all take the
 * stream's lock, those calls were a third of the time spent splitting multiparts in the benchmark's profile (the
 * lock is never contended, but taking it is not free). A stream here is read by one parsing thread at a time, like
 * every stream Jakarta Mail parses; it is not safe for concurrent use.
 */
final class ByteArraySharedStream extends InputStream implements SharedInputStream {

    private final byte[] bytes;
    /** Index of the first byte of this window; positions are counted from here. */
    private final int start;
    /** Index just past the last byte of this window. */
    private final int end;
    private int next;
    private int mark;

    ByteArraySharedStream(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** The window {@code bytes[start, end)}; positions count from {@code start}. */
    ByteArraySharedStream(byte[] bytes, int start, int end) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.start = start;
        this.end = end;
        this.next = start;
        this.mark = start;
    }

    @Override
    public int read() {
        return next < end ? bytes[next++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (next >= end) {
            return -1; // even for a length of 0, as ByteArrayInputStream answers
        }
        int n = Math.min(length, end - next);
        System.arraycopy(bytes, next, buffer, offset, n);
        next += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - next));
        next += (int) skipped;
        return skipped;
    }

    @Override
    public int available() {
        return end - next;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    /** Like {@code ByteArrayInputStream}: the mark never expires, whatever the read limit. */
    @Override
    public void mark(int readLimit) {
        mark = next;
    }

    @Override
    public void reset() {
        next = mark;
    }

    @Override
    public long getPosition() {
        return (long) next - start;
    }

    /**
     * The bytes from {@code from} to {@code to} (exclusive; -1 for the end of this window), positions counted from
     * this window's start, as {@code SharedByteArrayInputStream.newStream} counts them. Like it, a range that runs
     * past the end is cut there, and one that ends before it starts is empty.
     */
    @Override
    public InputStream newStream(long from, long to) {
        if (from < 0) {
            throw new IllegalArgumentException("a sub-stream cannot start before its stream: " + from);
        }
        long length = (long) end - start;
        long first = Math.min(from, length);
        long last = Math.max(first, Math.min(to == -1 ? length : to, length));
        return new ByteArraySharedStream(bytes, start + (int) first, start + (int) last);
    }
}
