package dev.intake.app.delivery.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.delivery.Delivery;
import dev.intake.app.events.EventType;
import dev.intake.app.events.IntegrationEvent;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.Ticket;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * The JSON body of one webhook, in the shape Standard Webhooks recommends: {@code type}, {@code timestamp} (when the
 * event happened, not when this attempt was made) and {@code data}. A "thin" payload: the ticket's number, subject,
 * requester and links, never its mail text or attachments, which a receiver reads through the API
 * ({@code ticket.apiUrl}, scope {@code tickets:read}). The schema is documented in docs/delivery-webhook.md.
 */
final class WebhookPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one webhook says, whichever item of the outbox it came from. */
    record Event(String type, Instant occurredAt, Optional<Long> cursor, Optional<String> mailbox,
            Optional<Ticket> ticket, Optional<Long> ticketNumber, Optional<Long> followupId, Optional<String> detail) {
    }

    private final Optional<URI> publicUrl;

    /** @param publicUrl Intake's {@code server.public-url}, for links to the ticket; empty: no links */
    WebhookPayload(Optional<URI> publicUrl) {
        this.publicUrl = publicUrl.map(u -> URI.create(u.toString().replaceAll("/+$", "")));
    }

    /** The event an outbox item tells of; empty for an item a webhook does not take (an attachment). */
    static Optional<Event> eventOf(Delivery delivery) {
        if (delivery instanceof Delivery.Notification n) {
            IntegrationEvent e = n.event();
            return Optional.of(new Event(e.type().wireName(), e.occurredAt(), Optional.of(e.position()), e.mailboxId(),
                    n.ticket(), e.ticket().or(() -> n.ticket().map(Ticket::number)), e.followup(), e.detail()));
        }
        if (delivery instanceof Delivery.NewTicket t) {
            return Optional.of(new Event(EventType.TICKET_CREATED.wireName(), t.ticket().createdAt(), Optional.empty(),
                    Optional.of(t.ticket().mailboxId()), Optional.of(t.ticket()), Optional.of(t.ticket().number()),
                    Optional.empty(), Optional.empty()));
        }
        if (delivery instanceof Delivery.NewFollowup f) {
            return Optional.of(new Event(EventType.FOLLOWUP_ADDED.wireName(), f.followup().createdAt(),
                    Optional.empty(), Optional.of(f.ticket().mailboxId()), Optional.of(f.ticket()),
                    Optional.of(f.ticket().number()), Optional.of(f.followup().id()), Optional.empty()));
        }
        return Optional.empty();
    }

    byte[] body(Event event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", event.type());
        root.put("timestamp", event.occurredAt().toString());
        ObjectNode data = root.putObject("data");
        // the cursor of GET /api/events: a receiver that missed webhooks reads on from the last one it handled
        data.put("cursor", event.cursor().map(String::valueOf).orElse(null));
        data.put("mailbox", event.mailbox().orElse(null));
        if (event.ticketNumber().isPresent()) {
            ticket(data.putObject("ticket"), event.ticketNumber().get(), event.ticket());
        }
        if (EventType.FOLLOWUP_ADDED.wireName().equals(event.type())) {
            ObjectNode followup = data.putObject("followup");
            followup.put("id", event.followupId().orElse(null));
            event.ticket().flatMap(t -> t.followups().stream()
                    .filter(f -> event.followupId().isPresent() && f.id() == event.followupId().get()).findFirst())
                    .ifPresent(f -> {
                        person(followup, "from", f.from());
                        followup.put("date", f.date().toString());
                        followup.put("attachments", f.attachments().size());
                    });
        }
        if (EventType.MESSAGE_REFUSED.wireName().equals(event.type())) {
            data.put("reason", event.detail().orElse(null));
        }
        if (EventType.MAILBOX_STATE_CHANGED.wireName().equals(event.type())) {
            data.put("state", event.detail().orElse(null));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    private void ticket(ObjectNode node, long number, Optional<Ticket> ticket) {
        node.put("number", number);
        ticket.ifPresent(t -> {
            node.put("subject", t.subject());
            person(node, "requester", t.requester());
            node.put("status", t.status().wireName());
            node.put("date", t.date().toString());
            node.put("createdAt", t.createdAt().toString());
            node.put("followups", t.followups().size());
            node.put("attachments", t.attachments().size());
        });
        node.put("url", publicUrl.map(u -> u + "/tickets/" + number).orElse(null));
        node.put("apiUrl", publicUrl.map(u -> u + "/api/tickets/" + number).orElse(null));
    }

    private static void person(ObjectNode parent, String field, Optional<Person> person) {
        if (person.isEmpty()) {
            parent.putNull(field);
            return;
        }
        ObjectNode node = parent.putObject(field);
        node.put("address", person.get().address());
        node.put("name", person.get().name().orElse(null));
    }
}
