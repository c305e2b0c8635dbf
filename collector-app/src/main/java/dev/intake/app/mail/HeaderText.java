package dev.intake.app.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readable text from header values as they arrive: folded, with RFC 2047 encoded words in any charset
 * (broken ones included) and sometimes with raw eight-bit bytes. Jakarta Mail's own
 * {@code MimeUtility.decodeText} throws on a charset Java lacks and cannot join a character split across two
 * words, so encoded words are decoded here, their charsets through {@link MailCharsets}.
 */
final class HeaderText {

    private static final Pattern BASE64_TEXT = Pattern.compile("[A-Za-z0-9+/=\\s]*");
    /** {@code =?charset?B|Q?text?=}; spaces inside the text are tolerated, as some mailers write them. */
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?]*)\\?=");

    private HeaderText() {
    }

    /** Unfolds, decodes and cleans a header value for display: a single line, never null. */
    static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        return TextCleanup.line(decodeEncodedWords(eightBitToText(unfold(raw))));
    }

    /** Removes the line breaks of header folding (RFC 5322 2.2.3). */
    static String unfold(String raw) {
        return raw.replaceAll("\\r?\\n(?=[ \\t])", "").replaceAll("[\\r\\n]", "");
    }

    /**
     * Jakarta Mail reads header bytes as Latin-1. Many mailers write raw UTF-8 into headers (RFC 6532 allows it),
     * so a value whose Latin-1 characters form valid UTF-8 is re-read as UTF-8.
     */
    static String eightBitToText(String value) {
        boolean eightBit = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                return value; // already decoded text, not bytes
            }
            eightBit |= c >= 0x80;
        }
        if (!eightBit) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        return MailCharsets.guess(bytes);
    }

    /**
     * Decodes every encoded word. Whitespace between two encoded words is dropped (RFC 2047 6.2); adjacent words
     * in the same charset are joined as bytes first, because mailers split multibyte characters across words.
     */
    static String decodeEncodedWords(String value) {
        if (!value.contains("=?")) {
            return value;
        }
        Matcher m = ENCODED_WORD.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        String pendingCharset = null;
        int last = 0;
        while (m.find()) {
            String between = value.substring(last, m.start());
            boolean adjacent = pendingCharset != null && between.isBlank();
            byte[] bytes = transferDecode(m.group(2), m.group(3));
            String charset = m.group(1);
            if (bytes == null) {
                // Undecodable word: flush what came before and keep the word itself, which stays readable.
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                out.append(between).append(m.group());
            } else {
                if (!(adjacent && charset.equalsIgnoreCase(pendingCharset))) {
                    flush(out, pending, pendingCharset);
                    if (!adjacent) {
                        out.append(between);
                    }
                }
                pending.writeBytes(bytes);
                pendingCharset = charset;
            }
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(value, last, value.length());
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, String charset) {
        if (charset != null && pending.size() > 0) {
            out.append(MailCharsets.decode(pending.toByteArray(), charset).text());
        }
        pending.reset();
    }

    /**
     * B by the JDK's MIME decoder, which forgives missing padding (Jakarta Mail's does not, and its Q decoder is
     * not public API); Q is small enough to do here. Null when the text is not valid in that encoding.
     */
    private static byte[] transferDecode(String encoding, String text) {
        if (encoding.equalsIgnoreCase("B")) {
            if (!BASE64_TEXT.matcher(text).matches()) {
                return null;
            }
            try {
                return Base64.getMimeDecoder().decode(text.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return decodeQ(text);
    }

    /** RFC 2047 4.2: {@code _} is a space, {@code =XX} a byte, anything else itself. */
    private static byte[] decodeQ(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && hex(text, i + 1) >= 0) {
                out.write(hex(text, i + 1));
                i += 2;
            } else if (c == '=') {
                return null;
            } else {
                out.write(c <= 0xFF ? c : '?');
            }
        }
        return out.toByteArray();
    }

    /** The byte written as two hex digits at {@code at}, or -1. */
    private static int hex(String text, int at) {
        if (at + 1 >= text.length()) {
            return -1;
        }
        int high = Character.digit(text.charAt(at), 16);
        int low = Character.digit(text.charAt(at + 1), 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }
}
