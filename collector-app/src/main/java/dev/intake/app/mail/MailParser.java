package dev.intake.app.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import dev.intake.app.spool.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;

/**
 * Reads one mail, as fetched from the server, into a {@link ParsedMail}. Thread-safe; one instance serves all
 * mailboxes.
 *
 * <p>Bad mail never makes it throw. A damaged MIME structure yields what could be read, marked
 * {@linkplain ParsedMail#malformed() malformed} with the reason, and the original message as an attachment.
 * Only a failure to read the given stream itself (a dropped connection) is thrown, because a mail cut off by
 * the network must be fetched again, not ticketed half.
 */
public final class MailParser {

    /** Name of the attachment that carries the original of a malformed mail. */
    public static final String ORIGINAL_MESSAGE = "original-message.eml";

    /** The most of an unreadable mail's raw bytes shown as its text body. */
    static final int MAX_RAW_TEXT = 4 * 1024 * 1024;
    private static final String NOT_SHOWN = "\n\n[The rest is not shown here; see the attached original.]";

    /** A header line per RFC 5322: a printable name without colon or space, then a colon. */
    private static final Pattern HEADER_LINE = Pattern.compile("^[\\x21-\\x39\\x3B-\\x7E]+\\s*:.*", Pattern.DOTALL);

    static {
        MailStreamProvider.nameAngusUnlessSet();
    }

    private final Session session;

    public MailParser() {
        Properties properties = new Properties();
        // Lenient address syntax: a From Jakarta Mail deems illegal still names the requester.
        properties.setProperty("mail.mime.address.strict", "false");
        // Headers are read as Latin-1 and re-read as UTF-8 where valid (HeaderText), so raw UTF-8 works too.
        properties.setProperty("mail.mime.allowutf8", "false");
        this.session = Session.getInstance(properties);
    }

    /**
     * Parses the raw RFC 822 bytes of one mail (what IMAP {@code BODY.PEEK[]} returns). The mail is held in memory
     * once while it is parsed, so ask {@link MailClassifier#classifyBySize} before fetching it.
     *
     * @throws IOException only when reading {@code raw} fails; never because of what the mail contains
     */
    public ParsedMail parse(InputStream raw, ParseLimits limits) throws IOException {
        return parse(raw.readAllBytes(), limits);
    }


    /** Parses a mail already in memory. Never throws for bad mail. */
    public ParsedMail parse(byte[] raw, ParseLimits limits) {
        return parse(Spool.of(raw), limits);
    }

    /**
     * Parses a mail held in a {@link Spool}: a large one is read from its temporary file part by part, and its large
     * attachments go to temporary files of their own, so the heap holds the text, not the mail. Never throws for
     * bad mail. The result's attachments may include {@code raw} itself (the original of a damaged mail): close the
     * result only when done with {@code raw} too.
     *
     * @throws UncheckedIOException when the spool's temporary file cannot be read
     */
    public ParsedMail parse(Spool raw, ParseLimits limits) {
        String fingerprint = raw.sha256Hex();
        InputStream source;
        try {
            source = raw.openShared();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the temporary file of a message", e);
        }
        try (source) {
            MimeMessage message;
            try {
                message = new MimeMessage(session, source);
            } catch (MessagingException | RuntimeException e) {
                return unreadable(raw, fingerprint, limits, "the header block could not be read: " + e.getMessage());
            }
            if (!hasHeaders(message)) {
                return unreadable(raw, fingerprint, limits,
                        "no mail headers found: this is not a mail, or its beginning is missing");
            }
            Envelope envelope = Envelope.of(message);
            FileNames names = new FileNames();
            BodyCollector body = new BodyCollector(limits, names);
            try {
                body.collect(message);
            } catch (MessagingException | RuntimeException e) {
                body.close();
                return structureUnreadable(message, envelope, raw, fingerprint, limits,
                        "the MIME structure could not be read (" + describe(e) + "); the body is shown as raw text");
            }
            return assemble(envelope, body, names, raw, fingerprint, limits);
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the temporary file of a message", e);
        }
    }

    private ParsedMail assemble(Envelope envelope, BodyCollector body, FileNames names, Spool raw,
                                String fingerprint, ParseLimits limits) {
        Optional<String> html = Optional.empty();
        String text = String.join("\n", body.texts());
        if (body.html().isPresent()) {
            Document sanitized = HtmlSanitizer.sanitize(body.html().get());
            String safe = HtmlSanitizer.bodyHtml(sanitized);
            html = safe.isBlank() ? Optional.empty() : Optional.of(safe);
            if (body.texts().isEmpty()) {
                text = HtmlText.of(sanitized);
            }
        }
        List<Attachment> attachments = markInline(body.attachments(), html);
        List<DroppedAttachment> dropped = new ArrayList<>(body.dropped());
        Optional<String> malformed = body.damage().isEmpty()
                ? Optional.empty()
                : Optional.of(String.join("; ", body.damage()));
        if (malformed.isPresent()) {
            keepOriginal(raw, names, limits, attachments, dropped);
        }
        return new ParsedMail(envelope.messageId(), fingerprint, envelope.subject(), envelope.from(), envelope.replyTo(),
                envelope.to(), envelope.cc(), envelope.date(), envelope.inReplyTo(), envelope.references(), tidyBody(text),
                html, attachments, dropped, envelope.headers(), envelope.contentType(), malformed, body.warnings());
    }

    /** An attachment is inline when the HTML shows it through a {@code cid:} link, whatever its disposition says. */
    private static List<Attachment> markInline(List<Attachment> attachments, Optional<String> html) {
        String lowerHtml = html.map(h -> h.toLowerCase(Locale.ROOT)).orElse("");
        List<Attachment> result = new ArrayList<>(attachments.size());
        for (Attachment attachment : attachments) {
            boolean shown = attachment.contentId()
                    .map(id -> lowerHtml.contains("cid:" + id.toLowerCase(Locale.ROOT)))
                    .orElse(false);
            result.add(shown ? attachment.withInline(true) : attachment);
        }
        return result;
    }

    /** The headers parsed but the body did not: keep the envelope, show the body's raw text. */
    private ParsedMail structureUnreadable(MimeMessage message, Envelope envelope, Spool raw, String fingerprint,
                                          ParseLimits limits, String reason) {
        String text;
        try (InputStream body = message.getRawInputStream()) {
            byte[] bytes = body.readNBytes(MAX_RAW_TEXT);
            text = MailCharsets.decode(bytes, PartHeaders.charset(message).orElse(null)).text()
                    + (body.read() != -1 ? NOT_SHOWN : "");
        } catch (MessagingException | IOException | RuntimeException e) {
            text = rawText(raw);
        }
        FileNames names = new FileNames();
        List<Attachment> attachments = new ArrayList<>();
        List<DroppedAttachment> dropped = new ArrayList<>();
        keepOriginal(raw, names, limits, attachments, dropped);
        return new ParsedMail(envelope.messageId(), fingerprint, envelope.subject(), envelope.from(), envelope.replyTo(),
                envelope.to(), envelope.cc(), envelope.date(), envelope.inReplyTo(), envelope.references(),
                tidyBody(TextCleanup.body(text)), Optional.empty(), attachments, dropped, envelope.headers(),
                envelope.contentType(), Optional.of(reason), List.of());
    }

    /** Not a mail at all (or no headers): everything is the raw text. */
    private ParsedMail unreadable(Spool raw, String fingerprint, ParseLimits limits, String reason) {
        FileNames names = new FileNames();
        List<Attachment> attachments = new ArrayList<>();
        List<DroppedAttachment> dropped = new ArrayList<>();
        keepOriginal(raw, names, limits, attachments, dropped);
        return new ParsedMail(Optional.empty(), fingerprint, "", Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty(), Optional.empty(), List.of(), tidyBody(TextCleanup.body(rawText(raw))),
                Optional.empty(), attachments, dropped, MailHeaders.empty(), "text/plain", Optional.of(reason),
                List.of());
    }

    private static void keepOriginal(Spool raw, FileNames names, ParseLimits limits,
                                     List<Attachment> attachments, List<DroppedAttachment> dropped) {
        String name = names.next(ORIGINAL_MESSAGE, "message/rfc822");
        if (raw.size() <= limits.maxAttachmentSize()) {
            attachments.add(new Attachment(name, "message/rfc822", raw.size(), raw.sha256Hex(), Optional.empty(), false,
                    raw));
        } else {
            dropped.add(new DroppedAttachment(name, raw.size()));
        }
    }

    /**
     * The raw mail as text, for a body that could not be read as MIME: at most {@link #MAX_RAW_TEXT} bytes of it, so
     * that a huge unreadable message does not become a huge string; the original is attached in full.
     */
    private static String rawText(Spool raw) {
        return MailCharsets.guess(raw.head(MAX_RAW_TEXT)) + (raw.size() > MAX_RAW_TEXT ? NOT_SHOWN : "");
    }

    private static boolean hasHeaders(MimeMessage message) {
        try {
            Enumeration<String> lines = message.getAllHeaderLines();
            while (lines.hasMoreElements()) {
                if (HEADER_LINE.matcher(lines.nextElement()).matches()) {
                    return true;
                }
            }
            return false;
        } catch (MessagingException | RuntimeException e) {
            return false;
        }
    }

    /** Leading blank lines and trailing white space carry nothing. */
    private static String tidyBody(String text) {
        return text.replaceFirst("^(?:[ \\t]*\\n)+", "").stripTrailing();
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : TextCleanup.line(message);
    }

    /** The header fields of a mail, each read so that a bad one only empties itself. */
    private record Envelope(
            Optional<String> messageId,
            String subject,
            Optional<MailAddress> from,
            List<MailAddress> replyTo,
            List<MailAddress> to,
            List<MailAddress> cc,
            Optional<Instant> date,
            Optional<String> inReplyTo,
            List<String> references,
            MailHeaders headers,
            String contentType) {

        static Envelope of(MimeMessage message) {
            List<MailAddress> from = Addresses.parse(all(message, "From"));
            return new Envelope(
                    MessageIds.messageId(first(message, "Message-ID")),
                    HeaderText.decode(first(message, "Subject")),
                    from.isEmpty() ? Optional.empty() : Optional.of(from.get(0)),
                    Addresses.parse(all(message, "Reply-To")),
                    Addresses.parse(all(message, "To")),
                    Addresses.parse(all(message, "Cc")),
                    sentDate(message),
                    MessageIds.first(first(message, "In-Reply-To")),
                    MessageIds.all(String.join(" ", all(message, "References"))),
                    MailHeaders.from(name -> all(message, name)),
                    PartHeaders.baseType(message));
        }

        private static Optional<Instant> sentDate(MimeMessage message) {
            try {
                Date date = message.getSentDate();
                return Optional.ofNullable(date).map(Date::toInstant);
            } catch (MessagingException | RuntimeException e) {
                return Optional.empty();
            }
        }

        private static String first(MimeMessage message, String name) {
            String[] values = all(message, name);
            return values.length == 0 ? null : values[0];
        }

        private static String[] all(MimeMessage message, String name) {
            try {
                String[] values = message.getHeader(name);
                return values == null ? new String[0] : values;
            } catch (MessagingException | RuntimeException e) {
                return new String[0];
            }
        }
    }
}
