package dev.intake.app.crypto;

/** The encryption keys cannot be set up as configured; the message says what to do. */
public final class KeySetupException extends RuntimeException {

    public KeySetupException(String message) {
        super(message);
    }
}
