package dev.intake.app.apiclient;

/**
 * A token request refused as RFC 6749 §5.2 words it: {@code error} is the code (invalid_client, invalid_grant,
 * invalid_scope, unauthorized_client, ...), the message the description for a person, {@code status} the HTTP status.
 */
public final class OAuthRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String error;
    private final int status;
    private final long retryAfterSeconds;

    public OAuthRefusedException(String error, int status, String description) {
        this(error, status, description, 0);
    }

    public OAuthRefusedException(String error, int status, String description, long retryAfterSeconds) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    /** Above zero when the client is throttled: how long to wait. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
