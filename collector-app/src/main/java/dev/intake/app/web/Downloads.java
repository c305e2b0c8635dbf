package dev.intake.app.web;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Attachments leave Intake only as downloads: {@code Content-Disposition: attachment} with a safe name, a generic
 * content type, nosniff, and a CSP sandbox, so that no attachment (HTML, SVG, PDF with script) is ever rendered as a
 * page of Intake's origin.
 */
final class Downloads {

    private Downloads() {
    }

    static void send(Context ctx, String fileName, byte[] content) {
        ctx.header("Content-Disposition", contentDisposition(fileName));
        ctx.header("Content-Security-Policy", "sandbox; default-src 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType("application/octet-stream");
        ctx.result(content);
    }

    /**
     * {@code attachment; filename="ascii"; filename*=UTF-8''percent-encoded} (RFC 6266): old clients read the ASCII
     * name, current ones the exact one. Path separators, quotes and control characters never reach either.
     */
    static String contentDisposition(String fileName) {
        String name = safeName(fileName);
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .replaceAll("[^A-Za-z0-9._ ()\\[\\]+,-]", "_");
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    static String safeName(String fileName) {
        String name = fileName == null ? "" : fileName;
        name = name.replaceAll("[\\p{Cntrl}\\p{Cf}]", "");
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replace('"', '\'').strip();
        while (name.startsWith(".")) {
            name = name.substring(1);
        }
        if (name.isBlank()) {
            return "attachment";
        }
        return name.length() > 150 ? name.substring(0, 150) : name;
    }
}
