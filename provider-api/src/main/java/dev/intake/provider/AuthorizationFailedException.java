package dev.intake.provider;

/** An authorization attempt did not yield a usable grant (the admin declined consent, the code was refused, the ID token names no address). Nothing is stored. */
public final class AuthorizationFailedException extends ProviderException {

    public AuthorizationFailedException(String code, String message) {
        super(code, message, null);
    }

    public AuthorizationFailedException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
