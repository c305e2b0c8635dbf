package dev.intake.app.events;

import java.time.Instant;
import java.util.Optional;

/**
 * One event as a reader sees it.
 *
 * @param position the cursor: a reader asks for the events after the last position it handled
 * @param detail   what the event says beyond its ids (a refusal's reason, a mailbox's new state)
 */
public record IntegrationEvent(long position, EventType type, Optional<String> mailboxId, Optional<Long> ticket,
        Optional<Long> followup, Optional<String> detail, Instant occurredAt) {
}
