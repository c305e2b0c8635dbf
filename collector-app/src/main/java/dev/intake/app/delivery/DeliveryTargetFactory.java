package dev.intake.app.delivery;

import dev.intake.config.DeliveryTargetConfig;

/** Builds the target a configuration record describes; see {@code delivery.targets.StandardTargets}. */
@FunctionalInterface
public interface DeliveryTargetFactory {

    /** @throws RuntimeException when the target cannot be built; its message is shown to admins */
    DeliveryTarget build(DeliveryTargetConfig config);
}
