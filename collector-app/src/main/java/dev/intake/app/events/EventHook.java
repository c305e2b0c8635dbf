package dev.intake.app.events;

import dev.intake.app.store.Transaction;

/**
 * What else is written with every event, in its transaction: the delivery outbox's items. Defined here and
 * implemented by the outbox so that events never know who listens; an exception rolls the event (and so the ticket
 * it tells of) back with it.
 */
@FunctionalInterface
public interface EventHook {

    EventHook NONE = (tx, event) -> {
    };

    void written(Transaction tx, WrittenEvent event);
}
