package dev.intake.provider;

/** The provider refused Intake's client credentials (invalid_client: a wrong or expired client secret). The mailboxes keep their grants; the operator fixes the secret. */
public final class ClientCredentialsRejectedException extends ProviderException {

    public ClientCredentialsRejectedException(String code, String message) {
        super(code, message, null);
    }

    public ClientCredentialsRejectedException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
