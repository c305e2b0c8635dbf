package dev.intake.app.mail;

import jakarta.mail.internet.MimeUtility;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes of a mail into text, whatever charset label the sender's software wrote. Never throws:
 * a label Java does not know, a mislabel or a missing label all end in readable text.
 *
 * <p>Rules, in order: no label (or a meaningless one such as {@code unknown-8bit}) means UTF-8 when the bytes
 * are valid UTF-8, else Latin-1; known mislabels are mapped (Korean, visual Hebrew, Windows spellings, UTF-7);
 * then Java's and Jakarta Mail's own alias tables are asked; anything else is read as Latin-1 with a warning.
 * "Latin-1" is read as windows-1252, as browsers do: mail labelled ISO-8859-1 routinely carries the Windows
 * bytes for € ‘ ’ “ ”, which ISO-8859-1 would turn into invisible control characters.
 */
final class MailCharsets {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private static final Set<String> UNLABELLED = Set.of(
            "", "unknown", "unknown-8bit", "x-unknown", "default", "8bit", "x-user-defined");

    private static final Set<String> LATIN_1 = Set.of(
            "iso-8859-1", "iso8859-1", "iso_8859-1", "iso8859_1", "iso_8859-1:1987", "latin1", "latin-1", "l1",
            "cp819", "ibm819", "8859-1");

    private static final Set<String> ASCII = Set.of(
            "us-ascii", "ascii", "us_ascii", "ansi_x3.4-1968", "iso-646-us", "iso646-us", "646", "us");

    private static final Set<String> UTF_7 = Set.of(
            "utf-7", "utf7", "unicode-1-1-utf-7", "x-unicode-2-0-utf-7", "csunicode11utf7", "x-utf-7");

    /** Labels that mail software writes but Java does not resolve, or resolves to a narrower charset. */
    private static final Map<String, String> MISLABELS = Map.ofEntries(
            // Outlook's name for Korean; windows-949 is the superset Windows actually sends.
            Map.entry("ks_c_5601-1987", "x-windows-949"),
            Map.entry("ks_c_5601-1989", "x-windows-949"),
            Map.entry("ks_c_5601", "x-windows-949"),
            Map.entry("ksc5601", "x-windows-949"),
            Map.entry("ksc_5601", "x-windows-949"),
            Map.entry("korean", "x-windows-949"),
            Map.entry("euc-kr", "x-windows-949"),
            // Logical/explicit-order Hebrew: the same bytes as ISO-8859-8.
            Map.entry("iso-8859-8-i", "ISO-8859-8"),
            Map.entry("iso-8859-8-e", "ISO-8859-8"),
            Map.entry("iso_8859-8-i", "ISO-8859-8"),
            Map.entry("iso-8859-6-i", "ISO-8859-6"),
            Map.entry("iso-8859-6-e", "ISO-8859-6"),
            // Windows sends its own supersets under the older names.
            Map.entry("shift_jis", "windows-31j"),
            Map.entry("shift-jis", "windows-31j"),
            Map.entry("sjis", "windows-31j"),
            Map.entry("x-sjis", "windows-31j"),
            Map.entry("ms_kanji", "windows-31j"),
            Map.entry("gb2312", "GBK"),
            Map.entry("gb_2312-80", "GBK"),
            Map.entry("x-gbk", "GBK"),
            Map.entry("chinese", "GBK"),
            Map.entry("unicode-1-1-utf-8", "UTF-8"),
            Map.entry("utf8", "UTF-8"),
            Map.entry("tis-620", "x-windows-874"));

    /** {@code cp1252}, {@code win-1252}, {@code windows1252}, {@code x-cp1252}, {@code ms-1252} ... */
    private static final Pattern WINDOWS_SPELLING = Pattern.compile("(?:x-)?(?:cp|win|windows|ms|ansi)[-_ ]?(125[0-8])");

    private MailCharsets() {
    }

    /** Text and, when the label could not be honoured, a note saying how the bytes were read. */
    record Decoded(String text, Optional<String> warning) {
    }

    /** Decodes {@code bytes} labelled {@code label} (null or blank when the mail gave none). */
    static Decoded decode(byte[] bytes, String label) {
        String name = normalize(label);
        if (UNLABELLED.contains(name)) {
            return new Decoded(guess(bytes), Optional.empty());
        }
        if (UTF_7.contains(name)) {
            return new Decoded(Utf7.decode(bytes), Optional.empty());
        }
        if (LATIN_1.contains(name)) {
            return new Decoded(new String(bytes, WINDOWS_1252), Optional.empty());
        }
        if (ASCII.contains(name)) {
            // Eight-bit bytes under an ASCII label are a mislabel; guessing reads them instead of dropping them.
            return new Decoded(guess(bytes), Optional.empty());
        }
        Optional<Charset> charset = resolve(name);
        if (charset.isPresent()) {
            return new Decoded(new String(bytes, charset.get()), Optional.empty());
        }
        return new Decoded(new String(bytes, WINDOWS_1252),
                Optional.of("unknown charset '" + printable(label) + "'; read as ISO-8859-1"));
    }

    /** Decodes text of an HTML part that has no charset label of its own: its {@code <meta>} tag may name one. */
    static Decoded decodeHtml(byte[] bytes, String label) {
        if (!UNLABELLED.contains(normalize(label)) || isValidUtf8(bytes)) {
            return decode(bytes, label);
        }
        Optional<String> meta = metaCharset(new String(bytes, StandardCharsets.ISO_8859_1));
        return meta.isPresent() ? decode(bytes, meta.get()) : decode(bytes, null);
    }

    /** The Java charset for a mail charset label, mislabels included; empty when there is none (or it is UTF-7). */
    static Optional<Charset> resolve(String label) {
        String name = normalize(label);
        if (LATIN_1.contains(name)) {
            return Optional.of(WINDOWS_1252);
        }
        String mapped = MISLABELS.get(name);
        if (mapped == null) {
            Matcher windows = WINDOWS_SPELLING.matcher(name);
            if (windows.matches()) {
                mapped = "windows-" + windows.group(1);
            }
        }
        if (mapped != null) {
            Optional<Charset> charset = forName(mapped);
            if (charset.isPresent()) {
                return charset;
            }
        }
        Optional<Charset> direct = forName(name);
        if (direct.isPresent()) {
            return direct;
        }
        return forName(MimeUtility.javaCharset(name));
    }

    /** No label: valid UTF-8 is UTF-8 (pure ASCII included), anything else is Latin-1. */
    static String guess(byte[] bytes) {
        return isValidUtf8(bytes) ? new String(bytes, StandardCharsets.UTF_8) : new String(bytes, WINDOWS_1252);
    }

    static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static final Pattern META_CHARSET = Pattern.compile(
            "<meta[^>]{0,200}?charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:-]{1,40})", Pattern.CASE_INSENSITIVE);

    private static Optional<String> metaCharset(String html) {
        Matcher m = META_CHARSET.matcher(html.length() > 4096 ? html.substring(0, 4096) : html);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<Charset> forName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Charset.forName(name));
        } catch (IllegalArgumentException e) { // IllegalCharsetName and UnsupportedCharset alike
            return Optional.empty();
        }
    }

    private static String normalize(String label) {
        if (label == null) {
            return "";
        }
        String name = label.trim();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).trim();
        }
        int language = name.indexOf('*'); // RFC 2231 language suffix: utf-8*en
        if (language >= 0) {
            name = name.substring(0, language);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static String printable(String label) {
        String trimmed = label.strip();
        String clean = trimmed.replaceAll("[^\\x21-\\x7E]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
