package dev.intake.app.delivery;

import dev.intake.app.events.EventFeed;
import dev.intake.app.events.IntegrationEvent;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketQueries;
import dev.intake.app.ticket.TicketUpdates;
import dev.intake.config.DeliveryConfig;
import dev.intake.config.DeliveryTargetConfig;
import dev.intake.config.IntakeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one target's due items, oldest first, each only after the earlier items of its ticket (see
 * {@link OutboxStore#due}). The job that calls it runs for one target on one node at a time.
 *
 * <p>Each item is marked {@code sending} with its attempt counted and committed before the remote call: a node that
 * dies during the call leaves a row that another node takes again, once it is older than the target's timeout and a
 * margin, as perhaps sent ({@link Delivery#maybeSentBefore()}), so that the target looks for it before creating it
 * again. Outcomes: RETRY and UNCERTAIN wait a capped exponential backoff ({@link RetryDelays}) and go to the
 * dead-letter list after {@code max-attempts}; REJECTED goes there at once; UNAUTHORIZED puts the whole target on
 * hold and does not count against the item.
 */
public final class DeliveryWorker {

    /** How long past a target's timeout a {@code sending} row is taken as left by a dead node. */
    static final Duration STALE_MARGIN = Duration.ofSeconds(30);
    static final int BATCH = 50;
    /** Rounds per run: each round may free the next items of the tickets it delivered. */
    static final int ROUNDS = 40;

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final Supplier<IntakeConfig> config;
    private final DeliveryTargets targets;
    private final OutboxStore outbox;
    private final TicketQueries tickets;
    private final TicketUpdates ticketUpdates;
    private final EventFeed events;
    private final DeliveryObserver observer;
    private final RetryDelays delays;
    private final Clock clock;

    public DeliveryWorker(Supplier<IntakeConfig> config, DeliveryTargets targets, OutboxStore outbox, TicketQueries tickets,
            TicketUpdates ticketUpdates, EventFeed events, DeliveryObserver observer, Clock clock) {
        this(config, targets, outbox, tickets, ticketUpdates, events, observer, clock, RandomGenerator.getDefault());
    }

    DeliveryWorker(Supplier<IntakeConfig> config, DeliveryTargets targets, OutboxStore outbox, TicketQueries tickets,
            TicketUpdates ticketUpdates, EventFeed events, DeliveryObserver observer, Clock clock,
            RandomGenerator random) {
        this.config = config;
        this.targets = targets;
        this.outbox = outbox;
        this.tickets = tickets;
        this.ticketUpdates = ticketUpdates;
        this.events = events;
        this.observer = observer;
        this.delays = new RetryDelays(random);
        this.clock = clock;
    }

    /** What a run did, for tests and the log. */
    public record RunResult(int delivered, int failed) {
    }

    /** Sends what is due for {@code targetName} until nothing is, the target fails, or {@code stop} says so. */
    public RunResult run(String targetName, BooleanSupplier stop) {
        DeliveryConfig cfg = config.get().delivery();
        Optional<DeliveryTargetConfig> targetConfig = cfg.target(targetName);
        Optional<DeliveryTarget> target = targets.target(targetName);
        if (targetConfig.isEmpty() || target.isEmpty()) {
            return new RunResult(0, 0);
        }
        Instant now = clock.instant();
        Optional<Instant> blocked = outbox.targetState(targetName).blockedUntil();
        if (blocked.isPresent() && blocked.get().isAfter(now)) {
            return new RunResult(0, 0);
        }
        Duration stale = targetConfig.get().timeout().plus(STALE_MARGIN);
        int delivered = 0;
        for (int round = 0; round < ROUNDS && !stop.getAsBoolean(); round++) {
            List<OutboxItem> due = outbox.due(targetName, clock.instant(), clock.instant().minus(stale), BATCH);
            int before = delivered;
            for (OutboxItem item : due) {
                if (stop.getAsBoolean()) {
                    break;
                }
                Step step = send(target.get(), cfg, item);
                if (step == Step.DELIVERED) {
                    delivered++;
                } else if (step == Step.TARGET_FAILING) {
                    // The target itself is failing (down, refusing Intake): the other items wait for the next run
                    // rather than each spending a timeout on it now.
                    return new RunResult(delivered, 1);
                }
            }
            if (due.size() < BATCH && delivered == before) {
                break;
            }
        }
        return new RunResult(delivered, 0);
    }

    private enum Step { DELIVERED, ITEM_FAILED, TARGET_FAILING, NOT_MINE }

    private Step send(DeliveryTarget target, DeliveryConfig cfg, OutboxItem item) {
        boolean maybeSent = item.maybeSent() || item.state() == ItemState.SENDING;
        if (!outbox.claim(item)) {
            return Step.NOT_MINE;
        }
        int attempt = item.attempts() + 1;
        Delivery delivery;
        try {
            delivery = delivery(item, maybeSent);
        } catch (NotDeliverable e) {
            if (e.skipped) {
                outbox.skippedBecause(item.id(), e.getMessage());
                observer.attempted(item.target(), "skipped");
            } else {
                outbox.dead(item.id(), e.getMessage(), false);
                observer.attempted(item.target(), "dead");
            }
            return Step.ITEM_FAILED;
        }
        try {
            Delivered result = target.deliver(delivery);
            // The ticket's export link first: whoever sees the item delivered also sees where the ticket went. (A
            // crash between the two leaves the item to be re-sent as perhaps sent, with the link already right.)
            recordExport(delivery, result);
            outbox.delivered(item.id(), result);
            outbox.targetSucceeded(item.target());
            observer.attempted(item.target(), "delivered");
            return Step.DELIVERED;
        } catch (DeliveryFailure f) {
            return failed(cfg, item, attempt, f.kind(), safeMessage(f), f.retryAfter());
        } catch (RuntimeException e) {
            // A fault in the target's code: the request may have gone out.
            log.warn("Delivery target '{}' failed unexpectedly on item {}: {}", item.target(), item.id(),
                    e.getClass().getName());
            return failed(cfg, item, attempt, DeliveryFailure.Kind.UNCERTAIN,
                    "unexpected error in the target (" + e.getClass().getSimpleName() + "); see the node's log",
                    Optional.empty());
        }
    }

    private Step failed(DeliveryConfig cfg, OutboxItem item, int attempt, DeliveryFailure.Kind kind, String message,
            Optional<Duration> retryAfter) {
        Instant now = clock.instant();
        String outcome = kind.name().toLowerCase(Locale.ROOT);
        switch (kind) {
            case REJECTED -> {
                // The target's state first: whoever sees the dead item also sees why the target is failing.
                outbox.targetFailed(item.target(), message);
                outbox.dead(item.id(), message, false);
                observer.attempted(item.target(), outcome);
                return Step.ITEM_FAILED;
            }
            case UNAUTHORIZED -> {
                int failures = outbox.targetState(item.target()).failures() + 1;
                outbox.notAttempted(item.id(), message);
                outbox.targetUnauthorized(item.target(), message, now.plus(delays.after(failures, cfg, retryAfter)));
                observer.attempted(item.target(), outcome);
                return Step.TARGET_FAILING;
            }
            default -> {
                boolean uncertain = kind == DeliveryFailure.Kind.UNCERTAIN;
                outbox.targetFailed(item.target(), message);
                observer.attempted(item.target(), outcome);
                if (attempt >= cfg.maxAttempts()) {
                    outbox.dead(item.id(), "gave up after " + attempt + " attempts; last: " + message, uncertain);
                    observer.attempted(item.target(), "dead");
                } else {
                    outbox.retryLater(item.id(), now.plus(delays.after(attempt, cfg, retryAfter)), message, uncertain);
                }
                return Step.TARGET_FAILING;
            }
        }
    }

    /**
     * The ticket's link in Intake's own record: the first helpdesk that created it is where the ticket "was exported
     * to" (an export set by an integration through the API is kept).
     */
    private void recordExport(Delivery delivery, Delivered result) {
        if (delivery instanceof Delivery.NewTicket created && created.ticket().export().isEmpty()) {
            ticketUpdates.markExported(created.ticket().number(), result.remoteId(), result.remoteUrl());
        }
    }

    private static String safeMessage(DeliveryFailure f) {
        String m = f.getMessage();
        return m == null || m.isBlank() ? f.kind().name().toLowerCase(Locale.ROOT) + " (the target gave no reason)" : m;
    }

    // ---- building what the target is given -------------------------------------------------------------------

    private Delivery delivery(OutboxItem item, boolean maybeSent) throws NotDeliverable {
        if (item.notification()) {
            IntegrationEvent event = item.event().flatMap(events::event)
                    .orElseThrow(() -> new NotDeliverable("its event no longer exists", false));
            Optional<Ticket> ticket = item.ticket().flatMap(tickets::find);
            return new Delivery.Notification(item.deliveryId(), maybeSent, event, item.kind(), ticket);
        }
        long number = item.ticket().orElseThrow(() -> new NotDeliverable("the item names no ticket", false));
        Ticket ticket = tickets.find(number)
                .orElseThrow(() -> new NotDeliverable("ticket #" + number + " no longer exists in Intake", false));
        if (item.kind() == ItemKind.TICKET) {
            return new Delivery.NewTicket(item.deliveryId(), maybeSent, ticket);
        }
        String remoteTicket = remoteTicket(item, number);
        if (item.kind() == ItemKind.FOLLOWUP) {
            long id = item.followup().orElseThrow(() -> new NotDeliverable("the item names no followup", false));
            Ticket.Followup followup = ticket.followups().stream().filter(f -> f.id() == id).findFirst()
                    .orElseThrow(() -> new NotDeliverable("followup " + id + " of ticket #" + number + " no longer exists",
                            false));
            return new Delivery.NewFollowup(item.deliveryId(), maybeSent, ticket, followup, remoteTicket);
        }
        long id = item.attachment().orElseThrow(() -> new NotDeliverable("the item names no attachment", false));
        // A followup's attachments are listed with the followup, the first message's with the ticket.
        Ticket.AttachmentInfo info = java.util.stream.Stream.concat(ticket.attachments().stream(),
                        ticket.followups().stream().flatMap(f -> f.attachments().stream()))
                .filter(a -> a.id() == id).findFirst()
                .orElseThrow(() -> new NotDeliverable("attachment " + id + " of ticket #" + number + " no longer exists",
                        false));
        Optional<String> remoteFollowup = info.followupId()
                .flatMap(f -> outbox.remoteId(item.target(), ItemKind.FOLLOWUP, number, Optional.of(f)));
        Delivery.Content content = () -> new ByteArrayInputStream(tickets.attachment(id)
                .orElseThrow(() -> new IOException("attachment " + id + " no longer exists")).content());
        return new Delivery.NewAttachment(item.deliveryId(), maybeSent, ticket, info, content, remoteTicket,
                remoteFollowup);
    }

    private String remoteTicket(OutboxItem item, long number) throws NotDeliverable {
        Optional<String> remote = outbox.remoteId(item.target(), ItemKind.TICKET, number, Optional.empty());
        if (remote.isPresent()) {
            return remote.get();
        }
        Optional<ItemState> ticketItem = outbox.ticketItemState(item.target(), number);
        if (ticketItem.isPresent() && ticketItem.get() == ItemState.SKIPPED) {
            throw new NotDeliverable("ticket #" + number + " was skipped for this target", true);
        }
        throw new NotDeliverable("ticket #" + number + " was never delivered to this target; Retry its ticket item first",
                false);
    }

    /** An item that cannot be built from what Intake holds: to the dead-letter list, or skipped with its ticket. */
    private static final class NotDeliverable extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean skipped;

        NotDeliverable(String message, boolean skipped) {
            super(message);
            this.skipped = skipped;
        }
    }
}
