package dev.intake.app.mail;

/**
 * Decoder for UTF-7 (RFC 2152), which Java does not ship and old Outlook versions still send
 * as {@code utf-7} or {@code unicode-1-1-utf-7}. Only decoding is needed, and it is lenient:
 * bytes that are not valid UTF-7 come out as Latin-1 characters rather than an error.
 */
final class Utf7 {

    private Utf7() {
    }

    static String decode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int c = bytes[i] & 0xFF;
            if (c != '+') {
                out.append((char) c);
                i++;
                continue;
            }
            if (i + 1 < bytes.length && bytes[i + 1] == '-') {
                out.append('+');
                i += 2;
                continue;
            }
            i = decodeShifted(bytes, i + 1, out);
        }
        return out.toString();
    }

    /**
     * Decodes a base64 run of UTF-16BE code units starting at {@code start}; returns the index after it.
     * Surrogate pairs need no care: both halves are appended as chars, as Java strings hold them.
     */
    private static int decodeShifted(byte[] bytes, int start, StringBuilder out) {
        int bits = 0;
        int bitCount = 0;
        int i = start;
        while (i < bytes.length) {
            int value = base64Value(bytes[i] & 0xFF);
            if (value < 0) {
                break;
            }
            bits = (bits << 6) | value;
            bitCount += 6;
            if (bitCount >= 16) {
                bitCount -= 16;
                out.append((char) ((bits >> bitCount) & 0xFFFF));
                bits &= (1 << bitCount) - 1;
            }
            i++;
        }
        // The '-' that ends a base64 run is absorbed; any other terminator is a character of its own.
        if (i < bytes.length && bytes[i] == '-') {
            i++;
        }
        return i;
    }

    private static int base64Value(int c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    }
}
