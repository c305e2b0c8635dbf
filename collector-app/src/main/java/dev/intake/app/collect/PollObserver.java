package dev.intake.app.collect;

import java.time.Duration;

/** Told of every finished run (metrics). */
@FunctionalInterface
public interface PollObserver {
    void finished(String mailboxId, Duration took, boolean ok, PollSummary summary);
}
