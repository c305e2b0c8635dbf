package dev.intake.app.web;

import dev.intake.app.ticket.StoredAttachment;
import dev.intake.app.ticket.Ticket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A mail's HTML as its own document, for an {@code <iframe sandbox>} on the ticket page. The HTML was sanitized at
 * collection; this is the second wall: the document is served with a Content-Security-Policy that forbids every
 * script and every load except images embedded as {@code data:} (and remote images only when the admin asks), and
 * with {@code sandbox}, which gives it an origin of its own, so that even a script that got through could neither
 * run nor reach the admin's session.
 */
final class MailBodyFrame {

    /** Inline images that are shown; others (SVG, which can carry script) stay out. */
    private static final Set<String> SHOWN_IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp");
    private static final String REMOTE_SRC = "data-remote-src";
    private static final String STYLE = "body{font:14px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
            + "color:#1d2330;margin:10px;overflow-wrap:anywhere}img{max-width:100%;height:auto}table{max-width:100%}"
            + "pre{white-space:pre-wrap}a{color:#2456c9}";
    private static final String STYLE_HASH = "sha256-" + Base64.getEncoder().encodeToString(sha256(STYLE));

    private MailBodyFrame() {
    }

    /** The frame document and the CSP it must be served with. */
    record Rendered(String html, String contentSecurityPolicy) {
    }

    /** How many images of a mail's HTML were held back because they would load from the network. */
    static int remoteImages(String sanitizedHtml) {
        return Jsoup.parseBodyFragment(sanitizedHtml).select("img[" + REMOTE_SRC + "]").size();
    }

    /**
     * @param attachments the attachments of the same mail, whose {@code cid:} images are embedded
     * @param content     loads an attachment's content by id
     * @param showRemote  whether the admin asked to load remote images
     */
    static Rendered render(String sanitizedHtml, List<Ticket.AttachmentInfo> attachments,
            LongFunction<Optional<StoredAttachment>> content, boolean showRemote) {
        Document doc = Jsoup.parseBodyFragment(sanitizedHtml);
        for (Element img : doc.select("img[src^=cid:]")) {
            String cid = img.attr("src").substring(4).trim();
            Optional<String> dataUri = attachments.stream()
                    .filter(a -> a.contentId().map(MailBodyFrame::bareContentId).filter(cid::equalsIgnoreCase).isPresent())
                    .filter(a -> SHOWN_IMAGE_TYPES.contains(a.contentType().toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .flatMap(a -> content.apply(a.id()))
                    .map(s -> "data:" + s.info().contentType().toLowerCase(Locale.ROOT) + ";base64,"
                            + Base64.getEncoder().encodeToString(s.content()));
            if (dataUri.isPresent()) {
                img.attr("src", dataUri.get());
            } else {
                img.removeAttr("src");
            }
        }
        if (showRemote) {
            for (Element img : doc.select("img[" + REMOTE_SRC + "]")) {
                img.attr("src", img.attr(REMOTE_SRC));
            }
        }
        doc.head().prependElement("base").attr("target", "_blank");
        doc.head().prependElement("meta").attr("charset", "utf-8");
        doc.head().appendElement("style").appendText(STYLE);
        doc.outputSettings().prettyPrint(false);
        String csp = "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src '" + STYLE_HASH
                + "'; img-src data:" + (showRemote ? " https: http:" : "") + "; form-action 'none'; base-uri 'none'; "
                + "frame-ancestors 'self'";
        return new Rendered("<!doctype html>\n" + doc.outerHtml(), csp);
    }

    /** Content-IDs are stored as written, usually in angle brackets; cid: URLs name them without. */
    private static String bareContentId(String contentId) {
        String s = contentId.trim();
        return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
