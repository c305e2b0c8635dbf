package dev.intake.config;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * A URL that receives each event as JSON ({@code type: webhook}), signed as the Standard Webhooks specification says
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}).
 *
 * @param secret the signing key, {@code whsec_} followed by base64, as Standard Webhooks' libraries expect
 * @param events the event names sent ({@code ticket.created}, ...); empty: all of them
 */
public record WebhookTargetConfig(String name, URI url, Secret secret, Set<String> events, Duration timeout)
        implements DeliveryTargetConfig {

    public WebhookTargetConfig {
        events = Set.copyOf(events);
    }
}
