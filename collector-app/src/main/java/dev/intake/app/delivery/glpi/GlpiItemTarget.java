package dev.intake.app.delivery.glpi;

import dev.intake.app.delivery.Delivered;
import dev.intake.app.delivery.Delivery;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryTarget;
import dev.intake.app.delivery.ItemKind;

/**
 * What both of GLPI's APIs take: tickets, their followups and their attachments (no event notifications); each API's
 * target says how it creates them.
 */
abstract class GlpiItemTarget implements DeliveryTarget {

    @Override
    public final boolean accepts(ItemKind kind) {
        return kind == ItemKind.TICKET || kind == ItemKind.FOLLOWUP || kind == ItemKind.ATTACHMENT;
    }

    @Override
    public final Delivered deliver(Delivery delivery) throws DeliveryFailure {
        if (delivery instanceof Delivery.NewTicket ticket) {
            return ticket(ticket);
        }
        if (delivery instanceof Delivery.NewFollowup followup) {
            return followup(followup);
        }
        if (delivery instanceof Delivery.NewAttachment attachment) {
            return attachment(attachment);
        }
        throw new DeliveryFailure(DeliveryFailure.Kind.REJECTED, "GLPI target " + name() + " takes tickets, followups "
                + "and attachments, not " + delivery.kind() + "; remove it from this mailbox's deliver-to for such "
                + "items, and Skip this one.");
    }

    abstract Delivered ticket(Delivery.NewTicket delivery) throws DeliveryFailure;

    abstract Delivered followup(Delivery.NewFollowup delivery) throws DeliveryFailure;

    abstract Delivered attachment(Delivery.NewAttachment delivery) throws DeliveryFailure;
}
