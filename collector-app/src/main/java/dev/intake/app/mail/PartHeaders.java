package dev.intake.app.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MIME headers of one part, read leniently: type, charset, disposition, file name, Content-ID.
 * Jakarta Mail parses well-formed values (RFC 2231 continuations and charsets included); when it refuses a
 * value (an unclosed quote, a stray semicolon), the essentials are picked out by pattern instead.
 *
 * <p>File names are RFC 2047-decoded here rather than through {@code mail.mime.decodefilename}: Jakarta Mail
 * reads that switch from a system property once, when {@code MimeBodyPart} is first loaded, so setting it later
 * does nothing, and setting it globally would change every other mail user in the process.
 */
final class PartHeaders {

    private static final Pattern BASE_TYPE = Pattern.compile("^\\s*([A-Za-z0-9!#$&.+^_-]+)\\s*/\\s*([A-Za-z0-9!#$&.+^_-]+)");
    private static final Pattern DISPOSITION = Pattern.compile("^\\s*([A-Za-z-]+)");
    private static final String PARAMETER = "(?:^|;)\\s*%s\\s*=\\s*(?:\"([^\"]*)\"?|([^;\\s]*))";
    /** RFC 2231 value left undecoded by Jakarta Mail when Java lacks its charset: {@code charset'lang'%XX...}. */
    private static final String EXTENDED_VALUE = "(?i)%s\\*(?:0\\*)?\\s*=\\s*\"?([^'\";\\s]*)'[^']*'";
    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

    private PartHeaders() {
    }

    /** Lower-case base type; {@code text/plain} when missing (RFC 2045 5.2) or unreadable. */
    static String baseType(Part part) {
        String raw = header(part, "Content-Type");
        if (raw == null || raw.isBlank()) {
            return "text/plain";
        }
        try {
            return new ContentType(raw).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException | RuntimeException e) {
            Matcher m = BASE_TYPE.matcher(raw);
            return m.find() ? (m.group(1) + "/" + m.group(2)).toLowerCase(Locale.ROOT) : "text/plain";
        }
    }

    static Optional<String> charset(Part part) {
        return contentTypeParameter(part, "charset");
    }

    /** {@code attachment} or {@code inline}, lower case, when the part says. */
    static Optional<String> disposition(Part part) {
        String raw = header(part, "Content-Disposition");
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(new ContentDisposition(raw).getDisposition()).map(d -> d.toLowerCase(Locale.ROOT));
        } catch (ParseException | RuntimeException e) {
            Matcher m = DISPOSITION.matcher(raw);
            return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
        }
    }

    /** The name the sender gave: Content-Disposition filename, else Content-Type name; decoded, not yet made safe. */
    static Optional<String> fileName(Part part) {
        Optional<String> name = parameter(part, "Content-Disposition", "filename", true)
                .or(() -> parameter(part, "Content-Type", "name", false));
        return name.map(HeaderText::decode).filter(n -> !n.isBlank());
    }

    /** Content-ID without angle brackets. */
    static Optional<String> contentId(Part part) {
        String raw = header(part, "Content-ID");
        if (raw == null) {
            return Optional.empty();
        }
        String id = HeaderText.unfold(raw).trim();
        if (id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1).trim();
        }
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    static Optional<String> contentTypeParameter(Part part, String name) {
        return parameter(part, "Content-Type", name, false);
    }

    private static Optional<String> parameter(Part part, String headerName, String name, boolean disposition) {
        String raw = header(part, headerName);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        raw = HeaderText.unfold(raw);
        String value;
        try {
            value = disposition ? new ContentDisposition(raw).getParameter(name) : new ContentType(raw).getParameter(name);
        } catch (ParseException | RuntimeException e) {
            value = byPattern(raw, name);
        }
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(undecodedExtendedValue(raw, name, value));
    }

    private static String byPattern(String raw, String name) {
        Matcher m = Pattern.compile(String.format(PARAMETER, Pattern.quote(name)), Pattern.CASE_INSENSITIVE).matcher(raw);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /**
     * Jakarta Mail leaves an RFC 2231 value percent-encoded when Java does not know its charset
     * ({@code filename*=utf-7''...}); decode it here with {@link MailCharsets}, which knows more.
     */
    private static String undecodedExtendedValue(String raw, String name, String value) {
        if (!PERCENT_ESCAPE.matcher(value).find()) {
            return value;
        }
        Matcher m = Pattern.compile(String.format(EXTENDED_VALUE, Pattern.quote(name))).matcher(raw);
        if (!m.find() || javaKnows(m.group(1))) {
            return value; // not an extended value, or one Jakarta Mail has decoded already
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length() && isHex(value.charAt(i + 1)) && isHex(value.charAt(i + 2))) {
                bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c <= 0xFF ? c : '?');
            }
        }
        return MailCharsets.decode(bytes.toByteArray(), m.group(1)).text();
    }

    private static boolean javaKnows(String charset) {
        try {
            return charset.isEmpty() || Charset.isSupported(MimeUtility.javaCharset(charset));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static String header(Part part, String name) {
        try {
            String[] values = part.getHeader(name);
            return values == null || values.length == 0 ? null : values[0];
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }
}
