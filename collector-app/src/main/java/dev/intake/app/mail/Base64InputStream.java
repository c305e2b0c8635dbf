package dev.intake.app.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Decodes a base64 transfer encoding as a stream, a chunk at a time, with the JDK's decoder doing the arithmetic.
 *
 * <p>Why not Jakarta Mail's {@code BASE64DecoderStream}: it decodes one character per call through two levels of
 * buffering, and was the largest single cost of collecting mail with attachments (over a third of the parsing
 * threads' time in the benchmark). Why not the JDK's {@code Base64.getMimeDecoder().wrap()}: it reads its source a
 * byte at a time, and silently drops whatever follows the first padding.
 *
 * <p>The rules are RFC 2045's (6.8) as Jakarta Mail applies them, so a damaged part reads as damaged in the same
 * place: characters outside the alphabet (line breaks, spaces) are skipped; a group of four may end in padding, and
 * decoding goes on with the next group (concatenated encodings). Padding after fewer than two characters of a group,
 * a character after padding within its group, or input that ends inside a group is an error, thrown as an
 * {@link IOException} once everything decoded before it has been read.
 *
 * <p>Most chunks take a quicker way first: mailers write base64 in lines of one length, so the line breaks are looked
 * for where the last line ended, the lines are copied whole, and the JDK's strict decoder checks every character as it
 * decodes. A chunk it refuses (anything outside the alphabet, padding before the end) is read again the exact way.
 */
final class Base64InputStream extends InputStream {

    private static final int CHUNK = 16 * 1024;
    private static final int PAD = '=';
    /** What each byte is: {@link #SKIP}ped (line breaks, spaces, anything outside the alphabet), data, or padding. */
    private static final byte[] KIND = new byte[256];
    private static final byte SKIP = 0;
    private static final byte DATA = 1;
    private static final byte PADDING = 2;

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray()) {
            KIND[c] = DATA;
        }
        KIND[PAD] = PADDING;
    }

    private final InputStream source;
    private final boolean linesFirst;
    private final Base64.Decoder decoder = Base64.getDecoder();
    /** The length of the last whole line copied: where the next line break is looked for first. */
    private int lineLength;
    private final byte[] raw = new byte[CHUNK];
    /** Alphabet characters not yet decoded, starting at a group boundary. */
    private final byte[] pending = new byte[CHUNK + 4];
    private int pendingLength;
    /** Where groups ending in padding end in {@link #pending}: the JDK decoder takes padding only at its input's end. */
    private int[] paddedEnds = new int[4];
    private int paddedCount;
    /** Within a group that has begun its padding. */
    private boolean inPadding;
    private final byte[] decoded = new byte[CHUNK / 4 * 3 + 3];
    private int decodedStart;
    private int decodedEnd;
    private boolean inputDone;
    private IOException failure;
    private final byte[] one = new byte[1];

    Base64InputStream(InputStream source) {
        this(source, true);
    }

    /** @param linesFirst false to take the exact way for every chunk: the reference the quicker way is tested against */
    Base64InputStream(InputStream source, boolean linesFirst) {
        this.source = Objects.requireNonNull(source, "source");
        this.linesFirst = linesFirst;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (decodedStart == decodedEnd) {
            if (inputDone) {
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
            fill();
        }
        int n = Math.min(len, decodedEnd - decodedStart);
        System.arraycopy(decoded, decodedStart, b, off, n);
        decodedStart += n;
        return n;
    }

    /** Reads a chunk of the source and decodes every whole group that has accumulated. */
    private void fill() throws IOException {
        int read = source.read(raw, 0, CHUNK);
        if (read < 0) {
            inputDone = true;
            if (pendingLength % 4 != 0) {
                failure = new IOException("the base64 content ends inside a group of four characters: it is cut off");
            }
        }
        if (linesFirst && read > 0 && !inPadding) {
            int before = pendingLength;
            copyLines(read);
            if (decodeIfAllValid()) {
                return;
            }
            pendingLength = before;
        }
        int length = pendingLength;
        if (!inPadding && copyWithoutPadding(read)) {
            decodeWholeGroups();
            return;
        }
        // Padding in this chunk: each character with the checks in accept().
        for (int i = 0; i < read; i++) {
            byte b = raw[i];
            byte kind = KIND[b & 0xff];
            if (kind == DATA && !inPadding) {
                pending[length++] = b;
            } else if (kind != SKIP) {
                pendingLength = length;
                accept(b & 0xff);
                length = pendingLength;
                if (failure != null) {
                    break;
                }
            }
        }
        pendingLength = length;
        decodeWholeGroups();
    }

    /**
     * The loop that sees every byte of every attachment, without a branch per byte: each byte is stored, and the end
     * of {@link #pending} moves past it only when it is a data character, so line breaks are overwritten by what
     * follows. Padding ends a part's content, so nearly every chunk has none.
     *
     * @return false, with {@link #pending} as it was, when the chunk holds padding: the caller takes the exact way
     */
    private boolean copyWithoutPadding(int read) {
        int length = pendingLength;
        int seen = 0;
        for (int i = 0; i < read; i++) {
            byte b = raw[i];
            int kind = KIND[b & 0xff];
            pending[length] = b;
            length += kind & DATA;
            seen |= kind;
        }
        if ((seen & PADDING) != 0) {
            return false;
        }
        pendingLength = length;
        return true;
    }

    /**
     * Copies the chunk to {@link #pending} without its CR and LF bytes, a line at a time. Whatever else is in the
     * chunk is copied too, for {@link #decodeIfAllValid()} to refuse.
     */
    private void copyLines(int read) {
        int length = pendingLength;
        int i = 0;
        while (i < read) {
            if (isBreak(raw[i])) {
                i++;
                continue;
            }
            int end = i + lineLength;
            if (lineLength == 0 || end >= read || !isBreak(raw[end])) {
                end = i;
                while (end < read && !isBreak(raw[end])) {
                    end++;
                }
                if (end < read) {
                    lineLength = end - i;
                }
            }
            System.arraycopy(raw, i, pending, length, end - i);
            length += end - i;
            i = end;
        }
        pendingLength = length;
    }

    private static boolean isBreak(byte b) {
        return b == '\r' || b == '\n';
    }

    /**
     * Decodes the whole groups in {@link #pending} if the JDK's strict decoder takes them and what is left over is
     * plain alphabet (padding or anything else there is for the exact way to judge), and keeps the rest for the next
     * chunk. Otherwise changes nothing that counts and returns false.
     */
    private boolean decodeIfAllValid() {
        int whole = pendingLength - pendingLength % 4;
        for (int i = whole; i < pendingLength; i++) {
            if (KIND[pending[i] & 0xff] != DATA) {
                return false;
            }
        }
        try {
            decodedEnd = decoder.decode(Arrays.copyOfRange(pending, 0, whole), decoded);
        } catch (IllegalArgumentException notBase64) {
            decodedEnd = 0;
            return false;
        }
        decodedStart = 0;
        System.arraycopy(pending, whole, pending, 0, pendingLength - whole);
        pendingLength -= whole;
        return true;
    }

    private void accept(int c) {
        int position = pendingLength % 4;
        if (c == PAD) {
            if (position < 2) {
                fail("padding ('=') after fewer than two base64 characters of a group of four");
                return;
            }
            inPadding = true;
        } else if (inPadding) {
            fail("a base64 character after padding ('=') in the same group of four");
            return;
        }
        pending[pendingLength++] = (byte) c;
        if (inPadding && pendingLength % 4 == 0) {
            inPadding = false;
            if (paddedCount == paddedEnds.length) {
                paddedEnds = Arrays.copyOf(paddedEnds, paddedCount * 2);
            }
            paddedEnds[paddedCount++] = pendingLength;
        }
    }

    /** Stops at a damaged group: what came before it is still decoded and read first. */
    private void fail(String reason) {
        failure = new IOException(reason);
        inputDone = true;
        pendingLength -= pendingLength % 4;
        inPadding = false;
    }

    private void decodeWholeGroups() throws IOException {
        decodedStart = 0;
        decodedEnd = 0;
        int whole = pendingLength - pendingLength % 4;
        int from = 0;
        for (int i = 0; i < paddedCount; i++) {
            from = decode(from, paddedEnds[i]);
        }
        paddedCount = 0;
        if (whole > from) {
            from = decode(from, whole);
        }
        System.arraycopy(pending, from, pending, 0, pendingLength - from);
        pendingLength -= from;
    }

    private int decode(int from, int to) throws IOException {
        byte[] group = Arrays.copyOfRange(pending, from, to);
        try {
            if (decodedEnd == 0) {
                decodedEnd = decoder.decode(group, decoded);
            } else {
                byte[] more = decoder.decode(group);
                System.arraycopy(more, 0, decoded, decodedEnd, more.length);
                decodedEnd += more.length;
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("the base64 content cannot be decoded: " + e.getMessage(), e);
        }
        return to;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
