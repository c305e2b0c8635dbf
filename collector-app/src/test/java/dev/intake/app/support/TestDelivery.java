package dev.intake.app.support;

import dev.intake.config.DeliveryConfig;
import dev.intake.config.DeliveryTargetConfig;
import dev.intake.config.GlpiLegacyTargetConfig;
import dev.intake.config.GlpiTicketFields;
import dev.intake.config.IntakeConfig;
import dev.intake.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Delivery targets for app-level tests, added to the configuration delivery reads. */
public final class TestDelivery {

    private TestDelivery() {
    }

    /** A helpdesk target (a GLPI legacy configuration; the test builds its own target from it). */
    public static GlpiLegacyTargetConfig helpdesk(String name) {
        return new GlpiLegacyTargetConfig(name, URI.create("https://glpi.example"), Optional.empty(),
                Optional.of(Secret.of("user-token-1")), Optional.empty(), Optional.empty(), GlpiTicketFields.defaults(),
                Duration.ofSeconds(20));
    }

    public static DeliveryConfig delivery(Duration backlogWarning, DeliveryTargetConfig... targets) {
        return new DeliveryConfig(List.of(targets), 3, Duration.ofSeconds(1), Duration.ofSeconds(4), backlogWarning);
    }

    /** {@code cfg} with {@code delivery} in place of its own. */
    public static IntakeConfig with(IntakeConfig cfg, DeliveryConfig delivery) {
        return new IntakeConfig(cfg.server(), cfg.database(), cfg.encryption(), cfg.tls(), cfg.providers(),
                cfg.mailboxes(), cfg.tickets(), cfg.operations(), cfg.admins(), cfg.api(), delivery);
    }
}
