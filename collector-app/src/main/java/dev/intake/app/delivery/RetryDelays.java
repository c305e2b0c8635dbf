package dev.intake.app.delivery;

import dev.intake.config.DeliveryConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long a failed item (or a target that refused Intake) waits: {@code first-retry × 2^(n-1)}, at most
 * {@code max-retry}, less up to a fifth at random so that items that failed together do not all come back in the
 * same second; never less than the target's own {@code Retry-After}. The wait is stored as the item's next attempt
 * time (a persistent schedule that survives restarts and moves between nodes), not slept in a retry loop.
 */
final class RetryDelays {

    private final RandomGenerator random;

    RetryDelays(RandomGenerator random) {
        this.random = random;
    }

    Duration after(int failures, DeliveryConfig config, Optional<Duration> retryAfter) {
        Duration max = config.maxRetry();
        Duration wait = config.firstRetry();
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        long jitter = (long) (wait.toMillis() * 0.2 * random.nextDouble());
        wait = wait.minusMillis(jitter);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            wait = retryAfter.get().compareTo(max) > 0 ? max : retryAfter.get();
        }
        return wait;
    }
}
