package dev.intake.provider;

import java.util.Optional;

/**
 * A provider refused or failed a request. The message is a sentence an admin understands and says what to do;
 * it never contains a token or secret.
 */
public abstract sealed class ProviderException extends Exception
        permits ReauthorizationRequiredException,
                ClientCredentialsRejectedException,
                TransientProviderException,
                AuthorizationFailedException {

    private final String code;

    protected ProviderException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The provider's error code, e.g. {@code AADSTS700082} or {@code invalid_grant}, if it gave one. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }
}
