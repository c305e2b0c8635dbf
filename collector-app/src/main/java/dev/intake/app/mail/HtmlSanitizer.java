package dev.intake.app.mail;

import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;

/**
 * Makes a mail's HTML inert for the admin UI with jsoup's {@link Cleaner}: formatting, tables, links and images
 * stay; scripts, styles, event handlers, forms, frames and {@code javascript:} URLs go. Nothing loads from the
 * network when the result is shown: remote image sources move to {@code data-remote-src}, which a UI may copy
 * back to {@code src} when the admin asks. {@code cid:} images stay, so inline images keep their place.
 * Style attributes are dropped too, because CSS {@code url(...)} would load remote content.
 */
final class HtmlSanitizer {

    static final String REMOTE_SRC = "data-remote-src";
    static final String LINK_REL = "noopener noreferrer nofollow";

    private static final Safelist SAFELIST = Safelist.relaxed()
            .removeProtocols("img", "src", "http", "https")
            .addProtocols("img", "src", "cid", "data")
            .addAttributes("img", REMOTE_SRC)
            .addProtocols("img", REMOTE_SRC, "http", "https")
            .addTags("font", "hr", "center", "s", "del", "ins", "abbr", "address")
            .addAttributes("font", "color", "face", "size")
            .addAttributes(":all", "align", "dir", "lang")
            .addAttributes("table", "border", "cellpadding", "cellspacing", "bgcolor")
            .addAttributes("tr", "valign", "bgcolor")
            .addAttributes("td", "valign", "bgcolor", "height")
            .addAttributes("th", "valign", "bgcolor", "height")
            .addEnforcedAttribute("a", "rel", LINK_REL);
    /** Parsed once: a query string given to {@code select} is parsed again for every message. */
    private static final Evaluator WITH_REMOTE_SRC = QueryParser.parse("[" + REMOTE_SRC + "]");
    private static final Evaluator IMG_WITH_SRC = QueryParser.parse("img[src]");

    private HtmlSanitizer() {
    }

    /** The sanitized document; its body holds the safe HTML. */
    static Document sanitize(String html) {
        Document dirty = Jsoup.parse(html);
        moveRemoteImages(dirty);
        Document clean = new Cleaner(SAFELIST).clean(dirty);
        clean.outputSettings().prettyPrint(false);
        return clean;
    }

    /** Body HTML of a sanitized document. */
    static String bodyHtml(Document sanitized) {
        return sanitized.body().html();
    }

    private static void moveRemoteImages(Document dirty) {
        // A sender-written data-remote-src would skip this check, so every existing one goes first.
        for (Element element : dirty.select(WITH_REMOTE_SRC)) {
            element.removeAttr(REMOTE_SRC);
        }
        for (Element img : dirty.select(IMG_WITH_SRC)) {
            String src = img.attr("src").trim();
            String lower = src.toLowerCase(Locale.ROOT);
            if (lower.startsWith("//")) {
                src = "https:" + src;
                lower = "https:" + lower;
            }
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                img.attr(REMOTE_SRC, src);
                img.removeAttr("src");
            }
        }
    }
}
