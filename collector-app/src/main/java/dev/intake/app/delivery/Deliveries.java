package dev.intake.app.delivery;

import dev.intake.config.DeliveryConfig;
import dev.intake.config.DeliveryTargetConfig;
import dev.intake.config.GlpiLegacyTargetConfig;
import dev.intake.config.GlpiTargetConfig;
import dev.intake.config.IntakeConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What people and integrations see of delivery and do about it: each target's state and backlog, the items (the
 * dead-letter list is the items in state dead), a ticket's items, and Retry and Skip.
 */
public final class Deliveries {

    /** The reason stored with an admin's Skip. */
    public record Actor(String who) {
    }

    private final Supplier<IntakeConfig> config;
    private final DeliveryTargets targets;
    private final OutboxStore outbox;
    private final Consumer<String> deliverSoon;
    private final Clock clock;

    /** @param deliverSoon runs a target's delivery job now (after a Retry), where a scheduler runs */
    public Deliveries(Supplier<IntakeConfig> config, DeliveryTargets targets, OutboxStore outbox,
            Consumer<String> deliverSoon, Clock clock) {
        this.config = config;
        this.targets = targets;
        this.outbox = outbox;
        this.deliverSoon = deliverSoon;
        this.clock = clock;
    }

    /** Every configured target, in the configuration's order. */
    public List<TargetSummary> targets() {
        Map<String, Backlog> backlogs = outbox.backlogs();
        List<TargetSummary> out = new ArrayList<>();
        for (DeliveryTargetConfig c : config.get().delivery().targets()) {
            out.add(summary(c, backlogs.getOrDefault(c.name(), Backlog.EMPTY)));
        }
        return out;
    }

    private TargetSummary summary(DeliveryTargetConfig c, Backlog backlog) {
        TargetState s = outbox.targetState(c.name());
        Optional<String> problem = targets.problem(c.name());
        String status;
        if (problem.isPresent()) {
            status = "unavailable";
        } else if (s.unauthorized()) {
            status = "unauthorized";
            problem = s.lastError();
        } else if (s.lastErrorAt().isPresent()
                && (s.lastSuccessAt().isEmpty() || s.lastErrorAt().get().isAfter(s.lastSuccessAt().get()))) {
            status = "failing";
            problem = s.lastError();
        } else {
            status = "ok";
        }
        return new TargetSummary(c.name(), type(c), status, problem, s.lastErrorAt(), s.lastSuccessAt(),
                s.blockedUntil().filter(b -> b.isAfter(clock.instant())), backlog);
    }

    static String type(DeliveryTargetConfig c) {
        if (c instanceof GlpiTargetConfig) {
            return "glpi";
        }
        return c instanceof GlpiLegacyTargetConfig ? "glpi-legacy" : "webhook";
    }

    /** The targets whose oldest undelivered item waits longer than {@code delivery.backlog-warning}, in words. */
    public List<String> backlogWarnings() {
        DeliveryConfig cfg = config.get().delivery();
        if (cfg.targets().isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        Map<String, Backlog> backlogs = outbox.backlogs();
        for (DeliveryTargetConfig c : cfg.targets()) {
            Backlog b = backlogs.getOrDefault(c.name(), Backlog.EMPTY);
            if (b.oldestWaiting().isPresent()) {
                Duration age = Duration.between(b.oldestWaiting().get(), now);
                if (age.compareTo(cfg.backlogWarning()) > 0) {
                    TargetState s = outbox.targetState(c.name());
                    String shown = age.toMinutes() < 2 ? age.toSeconds() + " s" : age.toMinutes() + " min";
                    warnings.add("delivery target '" + c.name() + "': " + b.waiting() + " item(s) undelivered, the oldest "
                            + "for " + shown + s.lastError().map(e -> "; last error: " + e).orElse("")
                            + "; see the Delivery page");
                }
            }
        }
        return warnings;
    }

    /** Whether a target of this name is configured. */
    public boolean hasTarget(String name) {
        return config.get().delivery().target(name).isPresent();
    }

    public Optional<OutboxItem> item(long id) {
        return outbox.find(id);
    }

    /** Items, newest first; the dead-letter list is {@code state = dead}. */
    public List<OutboxItem> items(Optional<String> target, Optional<ItemState> state, int limit) {
        return outbox.list(target, state, limit);
    }

    public List<OutboxItem> ofTicket(long ticket) {
        return outbox.ofTicket(ticket);
    }

    /**
     * Sends a dead item again, its attempts counted afresh; a target on hold after refusing Intake is tried at once
     * too (the admin retries after fixing its credentials).
     *
     * @return false when the item is not dead (delivered, waiting, skipped, or unknown)
     */
    public boolean retry(long id) {
        Optional<OutboxItem> item = outbox.find(id);
        if (item.isEmpty() || !outbox.retry(id)) {
            return false;
        }
        outbox.unblockTarget(item.get().target());
        deliverSoon.accept(item.get().target());
        return true;
    }

    /**
     * Gives up on a waiting or dead item; a ticket item takes the ticket's later items for that target with it.
     *
     * @return how many items were skipped (0 when the item is being sent, delivered, already skipped or unknown)
     */
    public int skip(long id, Actor actor) {
        int n = outbox.skip(id, "skipped by " + actor.who());
        if (n > 0) {
            outbox.find(id).ifPresent(i -> deliverSoon.accept(i.target()));
        }
        return n;
    }
}
