package dev.intake.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where collected tickets are sent (key {@code delivery}): the helpdesks and webhooks that receive them, and how
 * hard Intake tries.
 *
 * @param targets        the targets, in the order written; a mailbox chooses among them by name
 * @param maxAttempts    after this many failed attempts an item goes to the dead-letter list (Retry / Skip)
 * @param firstRetry     the wait after the first failure; it doubles with each further failure ...
 * @param maxRetry       ... up to this
 * @param backlogWarning {@code /health/ready} warns when the oldest undelivered item is older than this
 */
public record DeliveryConfig(List<DeliveryTargetConfig> targets, int maxAttempts, Duration firstRetry, Duration maxRetry,
        Duration backlogWarning) {

    public DeliveryConfig {
        targets = List.copyOf(targets);
    }

    /** No targets: tickets stay in Intake (its UI and API). */
    public static DeliveryConfig none() {
        return new DeliveryConfig(List.of(), 10, Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(1));
    }

    public Optional<DeliveryTargetConfig> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
