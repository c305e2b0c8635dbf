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

/**
 * The targets Intake ships, one arm per configuration type, all sharing one HTTP client. (Java 17 has no switch on
 * sealed types; the chain below is that switch, and its last line fails for a type added to the sealed interface
 * without an arm here.)
 */
public final class StandardTargets implements DeliveryTargetFactory {

    /** How long a connection to a target may take to open; each request's own limit is the target's timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    // Used by the arms the integrator completes (see build); until then Error Prone would call them unused.
    @SuppressWarnings("UnusedVariable")
    private final HttpClient http;
    @SuppressWarnings("UnusedVariable")
    private final Clock clock;

    public StandardTargets(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /**
     * The client every target shares: redirects are not followed (a POST redirected elsewhere would carry a
     * ticket, or a token, to a place nobody configured).
     */
    public static HttpClient sharedClient() {
        return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public DeliveryTarget build(DeliveryTargetConfig config) {
        // INTEGRATION: the three arms below are completed when the GLPI and webhook branches are merged, e.g.
        // `return new GlpiHlTarget(glpi, http, clock);`. This is the only place that names the target classes.
        if (config instanceof GlpiTargetConfig glpi) {
            throw new IllegalStateException("the GLPI high-level API target (" + glpi.name() + ") arrives with its branch");
        }
        if (config instanceof GlpiLegacyTargetConfig legacy) {
            throw new IllegalStateException("the GLPI legacy REST API target (" + legacy.name() + ") arrives with its branch");
        }
        if (config instanceof WebhookTargetConfig webhook) {
            throw new IllegalStateException("the webhook target (" + webhook.name() + ") arrives with its branch");
        }
        throw new IllegalStateException("no delivery target for configuration type " + config.getClass().getSimpleName());
    }
}
