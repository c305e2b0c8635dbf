package dev.intake.app.ticket;

import java.util.Optional;

/** A mail address with its display name. */
public record Person(String address, Optional<String> name) {

    @Override
    public String toString() {
        return name.map(n -> n + " <" + address + ">").orElse(address);
    }
}
