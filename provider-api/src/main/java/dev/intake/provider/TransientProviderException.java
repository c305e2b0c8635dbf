package dev.intake.provider;

/** The provider could not be reached or answered with a temporary failure (network, 5xx, throttling): try again later. */
public final class TransientProviderException extends ProviderException {

    public TransientProviderException(String code, String message) {
        super(code, message, null);
    }

    public TransientProviderException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
