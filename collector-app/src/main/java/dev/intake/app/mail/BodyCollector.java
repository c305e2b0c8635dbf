package dev.intake.app.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the MIME tree of one mail and sorts what it finds into body text, HTML and attachments.
 *
 * <ul>
 *   <li>Body text is every text/plain part that is not an attachment (no attachment disposition, no file name),
 *       in order: Apple Mail splits one body into several around inline images. Inside multipart/alternative only
 *       the first text/plain counts; the others are the same text again.</li>
 *   <li>The HTML body is the first text/html part that is not an attachment; a later one is attached.</li>
 *   <li>Everything else is an attachment, including alternatives that are neither text nor HTML (a calendar
 *       invitation), so nothing the sender sent is lost. message/rfc822 parts are attached whole as {@code .eml}.</li>
 * </ul>
 *
 * Structural damage that still leaves parts readable (a missing end boundary, a wrong boundary name, base64
 * that breaks off) is recorded in {@link #damage()} and the walk goes on; a structure that cannot be read at
 * all throws, and {@link MailParser} falls back to the raw text.
 */
final class BodyCollector {

    /** Deeper nesting is attached as it is rather than walked: no mail needs it, and recursion must end. */
    static final int MAX_DEPTH = 20;

    private static final Set<String> MESSAGE_TYPES = Set.of("message/rfc822", "message/global");
    private static final Set<String> PLAIN_TRANSFER = Set.of("7bit", "8bit", "binary");

    private final ParseLimits limits;
    private final FileNames names;
    private final List<String> texts = new ArrayList<>();
    private String html;
    private final List<Attachment> attachments = new ArrayList<>();
    private final List<DroppedAttachment> dropped = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> damage = new ArrayList<>();

    BodyCollector(ParseLimits limits, FileNames names) {
        this.limits = limits;
        this.names = names;
    }

    /** Walks the whole message. */
    void collect(MimeMessage message) throws MessagingException {
        collect(message, 0);
    }

    List<String> texts() {
        return texts;
    }

    Optional<String> html() {
        return Optional.ofNullable(html);
    }

    List<Attachment> attachments() {
        return attachments;
    }

    List<DroppedAttachment> dropped() {
        return dropped;
    }

    List<String> warnings() {
        return warnings;
    }

    List<String> damage() {
        return damage;
    }

    /** Deletes the temporary files of the attachments collected so far: for a walk whose result is dropped. */
    void close() {
        attachments.forEach(a -> a.spool().close());
    }

    private void collect(MimePart part, int depth) throws MessagingException {
        String type = PartHeaders.baseType(part);
        if (type.startsWith("multipart/") && depth < MAX_DEPTH) {
            LenientMultipart multipart = readMultipart(part, type);
            if (type.equals("multipart/alternative")) {
                collectAlternatives(multipart, depth + 1);
            } else {
                for (int i = 0; i < multipart.getCount(); i++) {
                    collect(asMimePart(multipart.getBodyPart(i)), depth + 1);
                }
            }
            if (!multipart.isComplete()) {
                damage.add("the mail ends inside a " + type + " part (truncated?); read what was there");
            }
            return;
        }
        if (type.startsWith("multipart/")) {
            warnings.add("MIME parts nested deeper than " + MAX_DEPTH + " levels were attached unread");
        }
        if (MESSAGE_TYPES.contains(type)) {
            attach(part, type, true);
        } else if (isBody(part, type, "text/plain")) {
            texts.add(readText(part, false));
        } else if (isBody(part, type, "text/html") && html == null) {
            html = readText(part, true);
        } else {
            attach(part, type, false);
        }
    }

    /** The first text/plain alternative is the text; the HTML comes from an HTML alternative or a nested part. */
    private void collectAlternatives(LenientMultipart alternatives, int depth) throws MessagingException {
        boolean textTaken = false;
        for (int i = 0; i < alternatives.getCount(); i++) {
            MimePart part = asMimePart(alternatives.getBodyPart(i));
            String type = PartHeaders.baseType(part);
            if (isBody(part, type, "text/plain")) {
                if (!textTaken) {
                    texts.add(readText(part, false));
                    textTaken = true;
                }
            } else if (isBody(part, type, "text/html")) {
                if (html == null) {
                    html = readText(part, true);
                }
            } else {
                collect(part, depth);
            }
        }
    }

    /**
     * Parses a multipart; when the boundary its Content-Type names never occurs, tries once more with the first
     * line that looks like a boundary. Throws when neither works.
     */
    private LenientMultipart readMultipart(MimePart part, String type) throws MessagingException {
        try {
            return LenientMultipart.of(part, type, false);
        } catch (MessagingException first) {
            try {
                LenientMultipart guessed = LenientMultipart.of(part, type, true);
                damage.add("the " + type + " boundary in Content-Type does not occur in the body ("
                        + first.getMessage() + "); parts were split at the first boundary-like line");
                return guessed;
            } catch (MessagingException second) {
                first.addSuppressed(second);
                throw first;
            }
        }
    }

    private static boolean isBody(MimePart part, String type, String wanted) {
        return type.equals(wanted)
                && !PartHeaders.disposition(part).filter("attachment"::equals).isPresent()
                && PartHeaders.fileName(part).isEmpty();
    }

    private String readText(MimePart part, boolean html) {
        PartContent content = PartContent.readText(decodedContent(part), expectedDecodedSize(part));
        content.damage().ifPresent(d -> damage.add("a " + (html ? "HTML" : "text") + " part is damaged (" + d
                + "); kept the text before the damage"));
        byte[] bytes = content.kept().orElseThrow().readAllBytes();
        String label = PartHeaders.charset(part).orElse(null);
        MailCharsets.Decoded decoded = html ? MailCharsets.decodeHtml(bytes, label) : MailCharsets.decode(bytes, label);
        decoded.warning().ifPresent(warnings::add);
        return TextCleanup.body(decoded.text());
    }

    private void attach(MimePart part, String type, boolean message) {
        Optional<String> proposed = PartHeaders.fileName(part);
        String name = message
                ? names.next(proposed.orElse(null), type, "eml")
                : names.next(proposed.orElse(null), type);
        PartContent content = PartContent.read(decodedContent(part), limits.maxAttachmentSize(),
                expectedDecodedSize(part));
        content.damage().ifPresent(d -> damage.add("attachment '" + name + "' is damaged (" + d + "); kept the "
                + content.size() + " bytes before the damage"));
        if (content.kept().isPresent()) {
            attachments.add(new Attachment(name, type, content.size(), content.sha256(),
                    PartHeaders.contentId(part), false, content.kept().get()));
        } else {
            dropped.add(new DroppedAttachment(name, content.size()));
        }
    }

    /**
     * The part's bytes with the transfer encoding undone. Done here rather than by {@code getInputStream()}
     * because Jakarta Mail ignores the encoding of message/rfc822 parts, which some mailers do base64-encode.
     * An unknown encoding leaves the bytes as they were sent, with a warning.
     */
    private InputStream decodedContent(MimePart part) {
        InputStream raw;
        try {
            raw = part instanceof MimeBodyPart body ? body.getRawInputStream() : ((MimeMessage) part).getRawInputStream();
        } catch (MessagingException e) {
            damage.add("a part's content could not be read: " + e.getMessage());
            return InputStream.nullInputStream();
        }
        String encoding = transferEncoding(part);
        if (encoding.isEmpty() || PLAIN_TRANSFER.contains(encoding)) {
            return raw;
        }
        if (encoding.equals("base64")) {
            return new Base64InputStream(raw);
        }
        try {
            return MimeUtility.decode(raw, encoding);
        } catch (MessagingException e) {
            warnings.add("unknown transfer encoding '" + encoding + "'; a part was kept as sent");
            return raw;
        }
    }

    /**
     * About the part's decoded size, from its size as sent (base64 carries three bytes in four characters, plus line
     * breaks, so this is a little over); 0 when the size is not known.
     */
    private static long expectedDecodedSize(MimePart part) {
        try {
            int sent = part.getSize();
            if (sent <= 0) {
                return 0;
            }
            return transferEncoding(part).equals("base64") ? sent / 4L * 3 : sent;
        } catch (MessagingException | RuntimeException e) {
            return 0;
        }
    }

    private static String transferEncoding(MimePart part) {
        try {
            String encoding = part.getEncoding();
            return encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
        } catch (MessagingException e) {
            return "";
        }
    }

    private static MimePart asMimePart(BodyPart part) throws MessagingException {
        if (part instanceof MimePart mime) {
            return mime;
        }
        throw new MessagingException("unexpected body part type " + part.getClass().getName());
    }
}
