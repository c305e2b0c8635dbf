package dev.intake.app.events;

import java.util.List;
import java.util.Optional;

/** Reading the events, for the API and the delivery outbox's webhook notifications. */
public interface EventFeed {

    /**
     * The events after {@code position}, oldest first: at most {@code limit}. Every event committed before this call
     * is either here or after the last one returned, and an event committed later always comes after them.
     */
    List<IntegrationEvent> after(long position, int limit);

    /** One committed event by its row id ({@link WrittenEvent#id()}), with its position: what a webhook is sent. */
    Optional<IntegrationEvent> event(long id);
}
