package dev.intake.app.mail;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One mail as a ticket needs it, decoded and made safe. Built by {@link MailParser}; immutable.
 *
 * <p>A large attachment's content is held in a temporary file until the mail is {@linkplain #close() closed}.
 *
 * <p>When the MIME structure is damaged, {@link #malformedReason()} says how, and the content is the best that
 * could be read: the parts before the damage, or else the raw text as the body. In both cases the original
 * message is kept as an attachment named {@code original-message.eml} (within the attachment limit), so nothing
 * the sender wrote is lost.
 *
 * @param messageId          normalized {@code <id@host>}; empty when the mail has none (or an unusable one)
 * @param fingerprint        SHA-256 hex of the raw bytes: identifies a mail that has no Message-ID
 * @param subject            decoded, one line; empty when missing
 * @param from               the first From address
 * @param replyTo            Reply-To addresses
 * @param to                 To addresses
 * @param cc                 Cc addresses
 * @param date               from the Date header; empty when missing or unparseable
 * @param inReplyTo          the id In-Reply-To names
 * @param references         the ids References names, oldest first as in the header
 * @param textBody           plain text: the first text/plain part, else text made from the HTML; never null
 * @param htmlBody           sanitized HTML (no scripts, no remote loads), when the mail had HTML
 * @param attachments        attachments and inline images, kept
 * @param droppedAttachments attachments over the size limit, noted but not kept
 * @param headers            the headers refusal rules read
 * @param contentType        the MIME type of the message itself, lower case ({@code multipart/mixed})
 * @param malformedReason    why the MIME structure could not be read (fully), when it could not
 * @param warnings           things a reader of the ticket should know (an unknown charset read as Latin-1,
 *                           a damaged attachment kept undecoded...)
 */
public record ParsedMail(
        Optional<String> messageId,
        String fingerprint,
        String subject,
        Optional<MailAddress> from,
        List<MailAddress> replyTo,
        List<MailAddress> to,
        List<MailAddress> cc,
        Optional<Instant> date,
        Optional<String> inReplyTo,
        List<String> references,
        String textBody,
        Optional<String> htmlBody,
        List<Attachment> attachments,
        List<DroppedAttachment> droppedAttachments,
        MailHeaders headers,
        String contentType,
        Optional<String> malformedReason,
        List<String> warnings) implements AutoCloseable {

    public ParsedMail {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(from, "from");
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        references = List.copyOf(references);
        Objects.requireNonNull(textBody, "textBody");
        Objects.requireNonNull(htmlBody, "htmlBody");
        attachments = List.copyOf(attachments);
        droppedAttachments = List.copyOf(droppedAttachments);
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(malformedReason, "malformedReason");
        warnings = List.copyOf(warnings);
    }

    /**
     * Deletes the temporary files of large attachments. Storing them reads those files, so close a mail only after
     * its ticket is committed.
     */
    @Override
    public void close() {
        attachments.forEach(a -> a.spool().close());
    }

    /** True when the MIME structure was damaged; {@link #malformedReason()} says how. */
    public boolean malformed() {
        return malformedReason.isPresent();
    }

    /**
     * Who the ticket is from: the first Reply-To address when the mailbox is configured to use it
     * ({@code use-reply-to}) and there is one, else the From address.
     */
    public Optional<MailAddress> requester(boolean useReplyTo) {
        if (useReplyTo && !replyTo.isEmpty()) {
            return Optional.of(replyTo.get(0));
        }
        return from;
    }

    /** A summary for logs: no body, no attachment content. */
    @Override
    public String toString() {
        return "ParsedMail[messageId=" + messageId.orElse("-") + ", fingerprint=" + fingerprint
                + ", from=" + from.map(MailAddress::address).orElse("-") + ", subject=" + subject
                + ", attachments=" + attachments.size() + ", dropped=" + droppedAttachments.size()
                + (malformed() ? ", malformed" : "") + "]";
    }
}
