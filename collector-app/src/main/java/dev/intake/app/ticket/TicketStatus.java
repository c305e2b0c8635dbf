package dev.intake.app.ticket;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a ticket stands in the helpdesk: set by people or integrations, never by collection. */
public enum TicketStatus {
    NEW, OPEN, CLOSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TicketStatus> of(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst();
    }
}
