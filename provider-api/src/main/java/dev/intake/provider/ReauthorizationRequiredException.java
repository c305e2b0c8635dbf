package dev.intake.provider;

/** The grant is dead (invalid_grant: revoked, expired, password changed): the mailbox must be authorized again in a browser. */
public final class ReauthorizationRequiredException extends ProviderException {

    public ReauthorizationRequiredException(String code, String message) {
        super(code, message, null);
    }

    public ReauthorizationRequiredException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
