package dev.intake.app.crypto;

/** A stored value names a key id that the configuration no longer (or not yet) has. */
public final class MissingKeyException extends RuntimeException {

    private final String keyId;

    public MissingKeyException(String keyId) {
        super("stored data is encrypted with key '" + keyId + "', which is not configured: add it back under encryption.keys."
                + keyId + " (nothing was changed or deleted)");
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }
}
