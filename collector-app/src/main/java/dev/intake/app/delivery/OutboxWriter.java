package dev.intake.app.delivery;

import dev.intake.app.events.EventHook;
import dev.intake.app.events.EventType;
import dev.intake.app.events.WrittenEvent;
import dev.intake.app.store.Transaction;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketStore;
import dev.intake.config.DeliveryTargetConfig;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Writes the outbox's items for each event, in the event's transaction (so in the ticket's): a ticket, followup or
 * attachment and its items commit together or not at all. For each target the event's mailbox delivers to
 * ({@code deliver-to}) and that takes the kind:
 * <ul>
 * <li>a helpdesk gets a ticket item and one item per attachment of the first message for {@code ticket.created}, a
 * followup item and its attachments for {@code followup.added}; a followup of a ticket the helpdesk never had (it
 * was collected before the target was configured) first brings the ticket and its earlier followups, so the
 * followup has a ticket to go to;</li>
 * <li>a webhook gets one notification per event it takes, mailbox events included.</li>
 * </ul>
 * Inline images are delivered as attachments too: GLPI's own mail collector keeps them as documents of the ticket,
 * and the HTML it is given refers to them; a ticket without them would show broken pictures (screenshots pasted
 * into a mail are most of what helpdesk mail carries).
 */
public final class OutboxWriter implements EventHook {

    private final Supplier<IntakeConfig> config;
    private final DeliveryTargets targets;
    private final TicketStore tickets;
    private final OutboxStore outbox;

    public OutboxWriter(Supplier<IntakeConfig> config, DeliveryTargets targets, TicketStore tickets, OutboxStore outbox) {
        this.config = config;
        this.targets = targets;
        this.tickets = tickets;
        this.outbox = outbox;
    }

    @Override
    public void written(Transaction tx, WrittenEvent event) {
        IntakeConfig cfg = config.get();
        Optional<MailboxConfig> mailbox = event.mailboxId().flatMap(cfg::mailbox);
        List<NewItem> items = new ArrayList<>();
        for (DeliveryTargetConfig target : cfg.delivery().targets()) {
            if (mailbox.isPresent() && !mailbox.get().deliversTo(target.name())) {
                continue;
            }
            if (DeliveryTargets.notifies(target)) {
                notification(target, event).ifPresent(items::add);
            } else {
                helpdeskItems(tx, target, event, items);
            }
        }
        outbox.insert(tx, items);
    }

    private Optional<NewItem> notification(DeliveryTargetConfig target, WrittenEvent event) {
        ItemKind kind = kindOf(event.type());
        if (!targets.accepts(target, kind)) {
            return Optional.empty();
        }
        return Optional.of(new NewItem(target.name(), kind, true, event.mailboxId(), event.ticket(), event.followup(),
                Optional.empty(), event.id()));
    }

    private void helpdeskItems(Transaction tx, DeliveryTargetConfig target, WrittenEvent event, List<NewItem> items) {
        if (event.ticket().isEmpty() || !targets.accepts(target, ItemKind.TICKET)) {
            return;
        }
        long ticket = event.ticket().get();
        Items out = new Items(target, event, items);
        if (event.type() == EventType.TICKET_CREATED) {
            out.ticket(ticket, tickets.attachments(tx, ticket));
        } else if (event.type() == EventType.FOLLOWUP_ADDED && event.followup().isPresent()
                && targets.accepts(target, ItemKind.FOLLOWUP)) {
            long followup = event.followup().get();
            List<Ticket.AttachmentInfo> attachments = tickets.attachments(tx, ticket);
            if (!outbox.hasTicketItem(tx, target.name(), ticket)) {
                out.ticket(ticket, attachments);
                for (long earlier : tickets.followupIds(tx, ticket)) {
                    if (earlier < followup) {
                        out.followup(ticket, earlier, attachments);
                    }
                }
            }
            out.followup(ticket, followup, attachments);
        }
    }

    /** The items of one event for one helpdesk target. */
    private final class Items {
        private final DeliveryTargetConfig target;
        private final WrittenEvent event;
        private final List<NewItem> into;

        Items(DeliveryTargetConfig target, WrittenEvent event, List<NewItem> into) {
            this.target = target;
            this.event = event;
            this.into = into;
        }

        void ticket(long ticket, List<Ticket.AttachmentInfo> attachments) {
            add(ItemKind.TICKET, ticket, Optional.empty(), Optional.empty());
            attachments(ticket, Optional.empty(), attachments);
        }

        void followup(long ticket, long followup, List<Ticket.AttachmentInfo> attachments) {
            add(ItemKind.FOLLOWUP, ticket, Optional.of(followup), Optional.empty());
            attachments(ticket, Optional.of(followup), attachments);
        }

        private void attachments(long ticket, Optional<Long> followup, List<Ticket.AttachmentInfo> all) {
            if (!targets.accepts(target, ItemKind.ATTACHMENT)) {
                return;
            }
            for (Ticket.AttachmentInfo a : all) {
                if (a.followupId().equals(followup)) {
                    add(ItemKind.ATTACHMENT, ticket, followup, Optional.of(a.id()));
                }
            }
        }

        private void add(ItemKind kind, long ticket, Optional<Long> followup, Optional<Long> attachment) {
            into.add(new NewItem(target.name(), kind, false, event.mailboxId(), Optional.of(ticket), followup, attachment,
                    event.id()));
        }
    }

    static ItemKind kindOf(EventType type) {
        return switch (type) {
            case TICKET_CREATED -> ItemKind.TICKET;
            case FOLLOWUP_ADDED -> ItemKind.FOLLOWUP;
            case MESSAGE_REFUSED -> ItemKind.MESSAGE_REFUSED;
            case MAILBOX_STATE_CHANGED -> ItemKind.MAILBOX_STATE_CHANGED;
        };
    }
}
