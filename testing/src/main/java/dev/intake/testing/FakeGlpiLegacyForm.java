package dev.intake.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body read as PHP reads it for GLPI ({@code main/rfc1867.c}): parts between the
 * boundary lines, a part's {@code name} and {@code filename} from its {@code Content-Disposition} (a quoted string
 * whose {@code \"} and {@code \\} are unescaped; of a file name only what follows the last {@code /} or backslash is
 * kept), the part's bytes exactly as sent.
 */
final class FakeGlpiLegacyForm {

    /** One part: a field when it has no file name. */
    record Part(String name, Optional<String> fileName, String contentType, byte[] content) {
    }

    private FakeGlpiLegacyForm() {
    }

    static List<Part> parse(String contentType, byte[] body) {
        String boundary = parameter(contentType, "boundary")
                .orElseThrow(() -> new IllegalArgumentException("no boundary in " + contentType));
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        // The first boundary line may start the body without a CRLF before it
        byte[] framed = new byte[body.length + 2];
        framed[0] = '\r';
        framed[1] = '\n';
        System.arraycopy(body, 0, framed, 2, body.length);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(framed, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < framed.length && framed[start] == '-' && framed[start + 1] == '-') {
                break;
            }
            start += 2; // the CRLF ending the boundary line
            int next = indexOf(framed, delimiter, start);
            if (next < 0) {
                throw new IllegalArgumentException("the body does not end with its closing boundary");
            }
            parts.add(part(Arrays.copyOfRange(framed, start, next)));
            at = next;
        }
        return parts;
    }

    /** What a recorded request shows of a multipart body: its fields and its files' names and sizes. */
    static String describe(String contentType, byte[] body) {
        StringBuilder out = new StringBuilder("multipart/form-data");
        try {
            for (Part part : parse(contentType, body)) {
                out.append("\n").append(part.name()).append(": ");
                if (part.fileName().isPresent()) {
                    out.append("file \"").append(part.fileName().get()).append("\" (").append(part.contentType())
                            .append(", ").append(part.content().length).append(" bytes)");
                } else {
                    out.append(new String(part.content(), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException e) {
            out.append(" (unreadable: ").append(e.getMessage()).append(")");
        }
        return out.toString();
    }

    private static Part part(byte[] raw) {
        byte[] separator = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int end = indexOf(raw, separator, 0);
        if (end < 0) {
            throw new IllegalArgumentException("a part without a blank line after its headers");
        }
        String headers = new String(raw, 0, end, StandardCharsets.UTF_8);
        byte[] content = Arrays.copyOfRange(raw, end + separator.length, raw.length);
        String disposition = "";
        String type = "text/plain";
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (header.equals("content-disposition")) {
                disposition = line.substring(colon + 1);
            } else if (header.equals("content-type")) {
                type = line.substring(colon + 1).strip();
            }
        }
        String name = parameter(disposition, "name").orElse("");
        Optional<String> fileName = parameter(disposition, "filename").map(FakeGlpiLegacyForm::baseName);
        return new Part(name, fileName, type, content);
    }

    private static String baseName(String fileName) {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        return fileName.substring(slash + 1);
    }

    /** A header parameter's value: a token, or a quoted string with its quoted-pairs unescaped. */
    static Optional<String> parameter(String header, String name) {
        int i = 0;
        while (i < header.length()) {
            int semicolon = header.indexOf(';', i);
            if (semicolon < 0) {
                return Optional.empty();
            }
            int j = semicolon + 1;
            while (j < header.length() && header.charAt(j) == ' ') {
                j++;
            }
            int eq = header.indexOf('=', j);
            if (eq < 0) {
                return Optional.empty();
            }
            String key = header.substring(j, eq).strip();
            StringBuilder value = new StringBuilder();
            int k = eq + 1;
            if (k < header.length() && header.charAt(k) == '"') {
                k++;
                while (k < header.length() && header.charAt(k) != '"') {
                    char c = header.charAt(k);
                    if (c == '\\' && k + 1 < header.length()
                            && (header.charAt(k + 1) == '"' || header.charAt(k + 1) == '\\')) {
                        k++;
                        c = header.charAt(k);
                    }
                    value.append(c);
                    k++;
                }
                k++;
            } else {
                while (k < header.length() && header.charAt(k) != ';') {
                    value.append(header.charAt(k));
                    k++;
                }
            }
            if (key.equalsIgnoreCase(name)) {
                return Optional.of(value.toString().strip());
            }
            i = k;
        }
        return Optional.empty();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
