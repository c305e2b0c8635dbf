package dev.intake.app.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * A target as the Delivery page, the API and the metrics show it.
 *
 * @param type    glpi, glpi-legacy or webhook
 * @param status  ok (nothing failing), failing (its last attempt failed; items are retried), unauthorized (the target
 *                refuses Intake's credentials; nothing goes until they are fixed) or unavailable (it could not be
 *                built from its configuration)
 * @param problem what is wrong, in words, when the status is not ok
 */
public record TargetSummary(String name, String type, String status, Optional<String> problem,
        Optional<Instant> lastErrorAt, Optional<Instant> lastSuccessAt, Optional<Instant> blockedUntil, Backlog backlog) {

    public boolean ok() {
        return "ok".equals(status);
    }
}
