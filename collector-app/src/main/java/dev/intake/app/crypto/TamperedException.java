package dev.intake.app.crypto;

/** A stored secret failed authentication: altered bytes, a wrong key, or a value moved between rows. */
public final class TamperedException extends RuntimeException {

    public TamperedException(String message) {
        super(message);
    }
}
