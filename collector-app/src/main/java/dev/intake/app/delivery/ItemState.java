package dev.intake.app.delivery;

import java.util.Locale;

/** Where an outbox item is. */
public enum ItemState {
    /** Waiting for its turn (its ticket's earlier items, its next attempt, its target). */
    PENDING,
    /** Handed to the target by a node; a row left so by a dead node is taken again as perhaps sent. */
    SENDING,
    DELIVERED,
    /** Given up after the attempts allowed, or refused by the target: waits for an admin's Retry or Skip. */
    DEAD,
    /** Not to be sent (an admin's Skip, or its ticket was skipped). */
    SKIPPED;

    /** The name the API and the pages use. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ItemState ofWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
