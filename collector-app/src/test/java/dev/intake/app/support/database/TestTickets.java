package dev.intake.app.support.database;

import dev.intake.app.spool.Spool;
import dev.intake.app.ticket.AttachmentContent;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.TicketContent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a parsed message contributes to a ticket, made by hand for store tests. */
public final class TestTickets {

    public static final Instant DATE = Instant.parse("2026-11-23T08:00:00Z");

    private TestTickets() {
    }

    /** A plain-text message from Alice, without attachments. */
    public static TicketContent content(String subject) {
        return content(subject, new Person("alice@example.org", Optional.of("Alice Example")), List.of());
    }

    public static TicketContent content(String subject, Person from, List<AttachmentContent> attachments) {
        return new TicketContent(subject, Optional.of(from), List.of(), DATE, "Body of " + subject, Optional.empty(),
                Optional.of("<" + Integer.toHexString(subject.hashCode()) + "@example.org>"), List.of(), attachments);
    }

    /** An attachment held in memory. */
    public static AttachmentContent attachment(String fileName, String text) {
        return attachment(fileName, Spool.of(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static AttachmentContent attachment(String fileName, Spool content) {
        return new AttachmentContent(fileName, "application/octet-stream", content.size(), content.sha256Hex(),
                Optional.empty(), false, content);
    }
}
