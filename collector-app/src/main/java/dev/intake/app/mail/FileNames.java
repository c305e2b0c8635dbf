package dev.intake.app.mail;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Attachment names that are safe to write to any disk and to offer for download: no directories, no control
 * or bidi-override characters, no names Windows reserves, a sensible length, and unique within one mail.
 * One instance per mail, because uniqueness is per mail.
 */
final class FileNames {

    /** UTF-8 bytes; most file systems allow 255. Leaves room for a " (99)" suffix. */
    static final int MAX_BYTES = 200;

    private static final Pattern WINDOWS_RESERVED =
            Pattern.compile("(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\\$|conout\\$)");
    private static final String FORBIDDEN = "<>:\"|?*";

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("text/plain", "txt"),
            Map.entry("text/html", "html"),
            Map.entry("text/csv", "csv"),
            Map.entry("text/calendar", "ics"),
            Map.entry("text/xml", "xml"),
            Map.entry("application/xml", "xml"),
            Map.entry("application/json", "json"),
            Map.entry("application/pdf", "pdf"),
            Map.entry("application/zip", "zip"),
            Map.entry("application/gzip", "gz"),
            Map.entry("application/msword", "doc"),
            Map.entry("application/vnd.ms-excel", "xls"),
            Map.entry("application/vnd.ms-powerpoint", "ppt"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
            Map.entry("application/vnd.oasis.opendocument.text", "odt"),
            Map.entry("application/vnd.oasis.opendocument.spreadsheet", "ods"),
            Map.entry("application/ms-tnef", "dat"),
            Map.entry("application/pkcs7-signature", "p7s"),
            Map.entry("application/x-pkcs7-signature", "p7s"),
            Map.entry("application/pgp-signature", "asc"),
            Map.entry("image/png", "png"),
            Map.entry("image/jpeg", "jpg"),
            Map.entry("image/gif", "gif"),
            Map.entry("image/webp", "webp"),
            Map.entry("image/bmp", "bmp"),
            Map.entry("image/tiff", "tif"),
            Map.entry("image/svg+xml", "svg"),
            Map.entry("audio/mpeg", "mp3"),
            Map.entry("video/mp4", "mp4"),
            Map.entry("message/rfc822", "eml"),
            Map.entry("message/global", "eml"),
            Map.entry("message/delivery-status", "txt"),
            Map.entry("message/disposition-notification", "txt"));

    private final Set<String> taken = new HashSet<>();
    private int unnamed;

    /**
     * A safe, unique name for an attachment of {@code contentType} that the sender named {@code proposed}
     * (null or blank when unnamed: {@code attachment-N.ext}).
     */
    String next(String proposed, String contentType) {
        String name = safe(proposed);
        if (name.isEmpty()) {
            unnamed++;
            name = "attachment-" + unnamed + "." + extensionFor(contentType);
        }
        return unique(name);
    }

    /** The same, with the extension forced: a forwarded message is always {@code .eml}. */
    String next(String proposed, String contentType, String requiredExtension) {
        String name = safe(proposed);
        if (!name.isEmpty() && !name.toLowerCase(Locale.ROOT).endsWith("." + requiredExtension)) {
            name = capLength(name + "." + requiredExtension);
        }
        return next(name.isEmpty() ? null : name, contentType);
    }

    /** Makes a proposed name safe; empty when nothing usable is left. */
    static String safe(String proposed) {
        if (proposed == null) {
            return "";
        }
        String name = Normalizer.normalize(proposed, Normalizer.Form.NFC);
        // Only the last path segment: "C:\Users\bob\report.pdf" (old Outlook) and "../../etc/passwd" alike.
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);

        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                return; // controls, and bidi overrides that disguise "exe.pdf" as "fdp.exe"
            }
            if (FORBIDDEN.indexOf(cp) >= 0) {
                out.append('_');
            } else if (Character.isWhitespace(cp)) {
                out.append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        name = out.toString().replaceAll(" {2,}", " ");
        name = name.replaceAll("^[\\s.]+", "").replaceAll("[\\s.]+$", "");
        if (name.isEmpty()) {
            return "";
        }
        int dot = name.indexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        if (WINDOWS_RESERVED.matcher(stem.trim()).matches()) {
            name = "_" + name;
        }
        return capLength(name);
    }

    static String extensionFor(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        String known = EXTENSIONS.get(type);
        if (known != null) {
            return known;
        }
        return type.startsWith("text/") ? "txt" : "bin";
    }

    private String unique(String name) {
        String candidate = name;
        int dot = extensionDot(name);
        String stem = dot < 0 ? name : name.substring(0, dot);
        String extension = dot < 0 ? "" : name.substring(dot);
        // Case-insensitive, because Windows and macOS file systems would merge "Report.pdf" and "report.pdf".
        for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + " (" + n + ")" + extension;
        }
        return candidate;
    }

    /** Cuts the stem, keeping a short extension, so the UTF-8 name fits {@link #MAX_BYTES}. */
    private static String capLength(String name) {
        if (utf8Length(name) <= MAX_BYTES) {
            return name;
        }
        int dot = extensionDot(name);
        String extension = dot < 0 || name.length() - dot > 16 ? "" : name.substring(dot);
        String stem = extension.isEmpty() ? name : name.substring(0, dot);
        int budget = MAX_BYTES - utf8Length(extension);
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            String next = new String(Character.toChars(cp));
            if (utf8Length(cut.toString()) + utf8Length(next) > budget) {
                break;
            }
            cut.append(next);
            i += Character.charCount(cp);
        }
        return cut.toString().stripTrailing() + extension;
    }

    private static int extensionDot(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? -1 : dot;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
