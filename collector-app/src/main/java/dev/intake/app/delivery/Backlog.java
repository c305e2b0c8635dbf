package dev.intake.app.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * A target's undelivered items.
 *
 * @param waiting       pending or being sent
 * @param oldestWaiting when the oldest of them was written
 * @param dead          in the dead-letter list
 */
public record Backlog(long waiting, Optional<Instant> oldestWaiting, long dead) {

    static final Backlog EMPTY = new Backlog(0, Optional.empty(), 0);
}
