package dev.intake.app.collect;

import java.time.Instant;
import java.util.Optional;

/** One collection run of a mailbox, as recorded. */
public record PollRun(long id, String mailboxId, String node, Instant startedAt, Optional<Instant> finishedAt,
        int fetched, int tickets, int followups, int refused, int failed, Optional<String> outcome,
        Optional<String> error) {
}
