package dev.intake.app.events;

import java.util.Optional;

/**
 * An event as it is written, before it has a position: what an {@link EventHook} is told in the event's
 * transaction.
 *
 * @param id the event's row id (its position is given only after commit; see {@link EventStore})
 */
public record WrittenEvent(long id, EventType type, Optional<String> mailboxId, Optional<Long> ticket,
        Optional<Long> followup) {
}
