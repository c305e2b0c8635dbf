package dev.intake.config;

import java.time.Duration;

/** One place tickets are delivered to (an item of {@code delivery.targets}). */
public sealed interface DeliveryTargetConfig permits GlpiTargetConfig, GlpiLegacyTargetConfig, WebhookTargetConfig {

    /** The name mailboxes choose the target by ({@code deliver-to}), shown in the UI, the API and the metrics. */
    String name();

    /** How long one request to the target may take before it counts as failed (possibly after being received). */
    Duration timeout();
}
