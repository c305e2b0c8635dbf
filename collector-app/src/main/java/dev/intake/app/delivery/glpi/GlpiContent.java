package dev.intake.app.delivery.glpi;

import dev.intake.app.ticket.Ticket;
import java.util.Optional;
import org.jsoup.nodes.Entities;

/**
 * The text GLPI is given for a ticket or followup, the same for both of GLPI's APIs: the mail's HTML (sanitized when
 * it was collected) or its text as escaped paragraphs, followed by a reference line that names Intake's ticket and
 * the item's delivery id. GLPI keeps that line visible, so a person sees where the ticket came from, and a later
 * attempt finds the item by it ({@link #marker}) after an attempt whose answer was lost.
 */
public final class GlpiContent {

    /** GLPI's {@code name} column is a VARCHAR(255). */
    static final int TITLE_LIMIT = 255;

    private GlpiContent() {
    }

    /** The ticket's title: the subject, or a stand-in when the mail had none. */
    public static String title(Ticket ticket) {
        String subject = ticket.subject().strip();
        if (subject.isEmpty()) {
            subject = "(no subject) from " + ticket.requester().map(p -> p.address()).orElse("unknown sender");
        }
        return subject.length() <= TITLE_LIMIT ? subject : subject.substring(0, TITLE_LIMIT - 1) + "\u2026";
    }

    /** The ticket's content: its first message and the reference line. */
    public static String ticketContent(Ticket ticket, String deliveryId) {
        return body(ticket.bodyText(), ticket.bodyHtml()) + reference(ticket.number(), deliveryId);
    }

    /** A followup's content: its message and the reference line. */
    public static String followupContent(Ticket ticket, Ticket.Followup followup, String deliveryId) {
        return body(followup.bodyText(), followup.bodyHtml()) + reference(ticket.number(), deliveryId);
    }

    /** The text a search for an item delivered before looks for: the delivery id is a UUID, unique on its own. */
    public static String marker(String deliveryId) {
        return "intake-delivery:" + deliveryId;
    }

    private static String body(String text, Optional<String> html) {
        if (html.isPresent() && !html.get().isBlank()) {
            return html.get();
        }
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\\R\\R+")) {
            out.append("<p>").append(Entities.escape(paragraph.strip()).replaceAll("\\R", "<br>")).append("</p>");
        }
        return out.toString();
    }

    private static String reference(long ticketNumber, String deliveryId) {
        return "<p style=\"color:#888;font-size:small\">Collected by Intake, ticket #" + ticketNumber + " ("
                + marker(deliveryId) + ")</p>";
    }
}
