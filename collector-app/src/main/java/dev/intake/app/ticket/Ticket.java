package dev.intake.app.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A stored ticket with its followups and attachments (without attachment content). */
public record Ticket(
        long number,
        String mailboxId,
        String subject,
        Optional<Person> requester,
        List<String> cc,
        Instant date,
        String bodyText,
        Optional<String> bodyHtml,
        Optional<String> messageId,
        List<String> notes,
        Instant createdAt,
        List<Followup> followups,
        List<AttachmentInfo> attachments,
        TicketStatus status,
        Optional<Export> export,
        List<InternalNote> internalNotes) {

    /** Where the ticket went in another system, as the integration that exported it said. */
    public record Export(String externalId, Optional<String> url, Instant at) {
    }

    /** A note for the people handling the ticket, never sent to the requester. */
    public record InternalNote(long id, String author, String body, Instant createdAt) {
    }

    /** A followup, in arrival order. */
    public record Followup(long id, Optional<Person> from, List<String> cc, Instant date, String bodyText,
            Optional<String> bodyHtml, Optional<String> messageId, List<String> notes, Instant createdAt,
            List<AttachmentInfo> attachments) {
    }

    /** An attachment's description; its content is fetched separately. */
    public record AttachmentInfo(long id, Optional<Long> followupId, String fileName, String contentType, long size,
            String sha256, Optional<String> contentId, boolean inline) {
    }
}
