package dev.intake.app.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * What the delivery job knows of a target as a whole.
 *
 * @param unauthorized  the last failure was the target refusing Intake itself (a wrong secret, a missing right)
 * @param failures      failures in a row of the target as a whole (its backoff)
 * @param blockedUntil  no item of the target is tried before this (after UNAUTHORIZED)
 */
public record TargetState(String target, boolean unauthorized, int failures, Optional<Instant> blockedUntil,
        Optional<String> lastError, Optional<Instant> lastErrorAt, Optional<Instant> lastSuccessAt) {

    static TargetState fresh(String target) {
        return new TargetState(target, false, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
