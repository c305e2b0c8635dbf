package dev.intake.app.delivery;

import dev.intake.app.events.IntegrationEvent;
import dev.intake.app.ticket.Ticket;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * One item of the outbox, as a target receives it. Every item has a {@link #deliveryId()}: a random UUID given
 * when the item is written, the same at every attempt, that a target stores with the remote item (a marker in a GLPI
 * ticket, a webhook's {@code webhook-id}) so that an attempt after an uncertain one finds what the earlier attempt
 * created instead of creating it twice.
 */
public sealed interface Delivery {

    String deliveryId();

    /** An earlier attempt may have reached the target: look the item up by {@link #deliveryId()} first. */
    boolean maybeSentBefore();

    ItemKind kind();

    /** A new ticket, to create with its first message's text and requester. */
    record NewTicket(String deliveryId, boolean maybeSentBefore, Ticket ticket) implements Delivery {
        @Override
        public ItemKind kind() {
            return ItemKind.TICKET;
        }
    }

    /** A followup, to add to the ticket the target created for {@code ticket} ({@code remoteTicketId}). */
    record NewFollowup(String deliveryId, boolean maybeSentBefore, Ticket ticket, Ticket.Followup followup,
            String remoteTicketId) implements Delivery {
        @Override
        public ItemKind kind() {
            return ItemKind.FOLLOWUP;
        }
    }

    /**
     * An attachment, to upload and link to the remote ticket (and to the remote followup it came with, when the
     * target can link documents to followups).
     */
    record NewAttachment(String deliveryId, boolean maybeSentBefore, Ticket ticket, Ticket.AttachmentInfo attachment,
            Content content, String remoteTicketId, Optional<String> remoteFollowupId) implements Delivery {
        @Override
        public ItemKind kind() {
            return ItemKind.ATTACHMENT;
        }
    }

    /**
     * An event for a webhook: {@code ticket} is the event's ticket as stored when the item is sent, when the event
     * is about one.
     */
    record Notification(String deliveryId, boolean maybeSentBefore, IntegrationEvent event, ItemKind kind,
            Optional<Ticket> ticket) implements Delivery {
    }

    /** An attachment's bytes, read from the database when sent (each call a fresh stream). */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;
    }
}
