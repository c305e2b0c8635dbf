package dev.intake.app.ledger;

import java.util.Optional;

/** A refused message's record and, when it was kept, its original bytes. */
public record RefusedOriginal(ProcessedMessage record, byte[] raw) {

    public Optional<byte[]> original() {
        return Optional.ofNullable(raw);
    }

    @Override
    public String toString() {
        return "RefusedOriginal[" + record.id() + ", " + (raw == null ? "no original" : raw.length + " bytes") + "]";
    }
}
