package dev.intake.app.mail;

import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * Plain text from HTML for mail that has no text/plain part. jsoup's {@code text()} puts everything on one line;
 * a ticket needs the paragraphs, list items and table rows the sender saw, so block elements become line breaks
 * here. Links whose text does not show their target get it appended, so the target is not lost.
 */
final class HtmlText {

    private static final Set<String> BLOCKS = Set.of(
            "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset",
            "figcaption", "figure", "footer", "form", "header", "hr", "li", "main", "nav", "ol", "pre", "section",
            "table", "tbody", "thead", "tfoot", "tr", "ul", "caption");
    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table");

    private HtmlText() {
    }

    /** Text of a (sanitized) document's body. */
    static String of(Document document) {
        Visitor visitor = new Visitor();
        visitor.traverse(document.body());
        return tidy(visitor.out.toString());
    }

    private static final class Visitor implements NodeVisitor {
        private final StringBuilder out = new StringBuilder();
        private int preDepth;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode text) {
                appendText(preDepth > 0 ? text.getWholeText() : text.text());
            } else if (node instanceof Element element) {
                String tag = element.normalName();
                switch (tag) {
                    case "br" -> out.append('\n');
                    case "pre" -> {
                        preDepth++;
                        newline(false);
                    }
                    case "li" -> {
                        newline(false);
                        out.append("- ");
                    }
                    case "td", "th" -> {
                        if (element.elementSiblingIndex() > 0) {
                            out.append('\t');
                        }
                    }
                    default -> {
                        if (PARAGRAPHS.contains(tag)) {
                            newline(true);
                        } else if (BLOCKS.contains(tag)) {
                            newline(false);
                        }
                    }
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (!(node instanceof Element element)) {
                return;
            }
            String tag = element.normalName();
            if (tag.equals("pre")) {
                preDepth--;
            }
            if (tag.equals("a")) {
                appendLinkTarget(element);
            }
            if (PARAGRAPHS.contains(tag)) {
                newline(true);
            } else if (BLOCKS.contains(tag) || tag.equals("pre")) {
                newline(false);
            }
        }

        private void appendText(String text) {
            if (text.isEmpty()) {
                return;
            }
            boolean atLineStart = out.length() == 0 || out.charAt(out.length() - 1) == '\n';
            if (preDepth == 0 && atLineStart) {
                text = text.stripLeading();
            } else if (preDepth == 0 && text.startsWith(" ") && out.charAt(out.length() - 1) == ' ') {
                text = text.substring(1);
            }
            out.append(text);
        }

        private void appendLinkTarget(Element link) {
            String href = link.attr("href");
            if (href.isEmpty()) {
                return;
            }
            String shown = link.text().trim();
            String target = href.startsWith("mailto:") ? href.substring("mailto:".length()) : href;
            if (!shown.equals(target) && !shown.equals(href)) {
                out.append(" <").append(href).append('>');
            }
        }

        private void newline(boolean blankLine) {
            if (out.length() == 0) {
                return;
            }
            if (out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            if (blankLine && (out.length() < 2 || out.charAt(out.length() - 2) != '\n')) {
                out.append('\n');
            }
        }
    }

    private static String tidy(String text) {
        return text.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }
}
