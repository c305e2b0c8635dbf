package dev.intake.app.delivery.targets;

import dev.intake.app.delivery.DeliveryTarget;
import dev.intake.app.delivery.DeliveryTargetFactory;
import dev.intake.config.DeliveryTargetConfig;
import dev.intake.config.GlpiLegacyTargetConfig;
import dev.intake.config.GlpiTargetConfig;
import dev.intake.config.WebhookTargetConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import dev.intake.app.delivery.glpi.GlpiHlTarget;
import dev.intake.app.delivery.glpi.GlpiLegacyTarget;
import dev.intake.app.delivery.webhook.WebhookTarget;
import java.net.URI;

/**
 * The targets Intake ships, one arm per configuration type. (Java 17 has no switch on sealed types; the chain below is
 * that switch, and its last line fails for a type added to the sealed interface without an arm here.)
 */
public final class StandardTargets implements DeliveryTargetFactory {

    /** How long a connection to a target may take to open; each request's own limit is the target's timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<SSLContext> tls;
    private final Supplier<URI> publicUrl;
    private final Clock clock;

    /**
     * @param tls       the trust of the configuration as it is when a target is built (the JDK's plus tls.truststore)
     * @param publicUrl Intake's {@code server.public-url}, which webhook payloads link tickets to
     */
    public StandardTargets(Supplier<SSLContext> tls, Supplier<URI> publicUrl, Clock clock) {
        this.tls = tls;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public DeliveryTarget build(DeliveryTargetConfig config) {
        HttpClient http = client(tls.get());
        if (config instanceof GlpiTargetConfig glpi) {
            return new GlpiHlTarget(glpi, http, clock);
        }
        if (config instanceof GlpiLegacyTargetConfig legacy) {
            return new GlpiLegacyTarget(legacy, http, clock);
        }
        if (config instanceof WebhookTargetConfig webhook) {
            return new WebhookTarget(webhook, http, clock, publicUrl.get());
        }
        throw new IllegalStateException("no delivery target for configuration type " + config.getClass().getSimpleName());
    }

    /**
     * One client per target, built with it (so a target rebuilt after a change of tls.truststore trusts the new CA):
     * redirects are not followed, since a POST redirected elsewhere would carry a ticket, or a token, to a place
     * nobody configured.
     */
    static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(tls).build();
    }
}
