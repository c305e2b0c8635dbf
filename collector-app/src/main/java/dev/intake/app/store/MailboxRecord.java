package dev.intake.app.store;

import java.time.Instant;
import java.util.Optional;

/** What Intake knows about a mailbox's collection, as stored. */
public record MailboxRecord(
        String id,
        MailboxState state,
        Optional<String> stateReason,
        Optional<Instant> lastPollAt,
        Optional<Instant> lastSuccessAt,
        Optional<String> lastError,
        Optional<Instant> lastErrorAt,
        int consecutiveFailures,
        Optional<Instant> nextAttemptAt,
        Optional<Instant> lastTokenAt,
        boolean pausedByAdmin) {
}
