package dev.intake.app.events;

import java.util.Arrays;
import java.util.Optional;

/** What an event tells, with the name integrations see. */
public enum EventType {
    TICKET_CREATED("ticket.created"),
    FOLLOWUP_ADDED("followup.added"),
    MESSAGE_REFUSED("message.refused"),
    MAILBOX_STATE_CHANGED("mailbox.state-changed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
