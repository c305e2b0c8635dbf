package dev.intake.app.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a message contributes to a ticket or a followup.
 *
 * @param notes things the admin should know that are not in the mail: a dropped oversize attachment, a body
 *              kept raw because its MIME structure was broken
 */
public record TicketContent(
        String subject,
        Optional<Person> from,
        List<String> cc,
        Instant date,
        String bodyText,
        Optional<String> bodyHtml,
        Optional<String> messageId,
        List<String> notes,
        List<AttachmentContent> attachments) {

    public TicketContent {
        cc = List.copyOf(cc);
        notes = List.copyOf(notes);
        attachments = List.copyOf(attachments);
    }
}
