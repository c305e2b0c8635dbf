package dev.intake.app.collect;

import java.time.Duration;

/**
 * How long a failing mailbox waits before its next attempt: the poll interval, doubled with every further
 * consecutive failure, capped at 30 minutes (or the poll interval, if that is longer). A provider outage then costs
 * a handful of requests an hour instead of one a minute, and recovery is noticed within half an hour.
 */
public final class Backoff {

    static final Duration CAP = Duration.ofMinutes(30);

    private Backoff() {
    }

    /** @param consecutiveFailures including the one just recorded (1 or more) */
    public static Duration after(Duration pollEvery, int consecutiveFailures) {
        Duration cap = pollEvery.compareTo(CAP) > 0 ? pollEvery : CAP;
        int doublings = Math.min(Math.max(0, consecutiveFailures - 1), 30);
        Duration delay = pollEvery.multipliedBy(1L << doublings);
        return delay.compareTo(cap) > 0 ? cap : delay;
    }
}
