package dev.intake.app.apiclient;

/**
 * An authorization request refused before or at consent (RFC 6749 §4.1.2.1).
 *
 * @see #redirectable()
 */
public final class AuthorizationRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String error;
    private final boolean redirectable;

    public AuthorizationRefusedException(String error, String description, boolean redirectable) {
        super(description, null, false, false);
        this.error = error;
        this.redirectable = redirectable;
    }

    public String error() {
        return error;
    }

    /**
     * Whether the error may go back to the redirect URI: never when the client or its redirect URI is not known, so
     * that Intake cannot be used to send a browser anywhere.
     */
    public boolean redirectable() {
        return redirectable;
    }
}
