package dev.intake.app.ticket;

/** An attachment with its content, for download. */
public record StoredAttachment(Ticket.AttachmentInfo info, long ticketNumber, byte[] content) {
}
