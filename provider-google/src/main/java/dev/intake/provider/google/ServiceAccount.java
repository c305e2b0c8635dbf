package dev.intake.provider.google;

import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.intake.config.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A Google Cloud service account's JSON key, read by google-auth-library. With domain-wide delegation, granted by a
 * Workspace admin for the account's client ID and Gmail's scope, it obtains tokens for any mailbox of the domain.
 *
 * <p>{@link #toString()} names the account, never the key.
 */
final class ServiceAccount {

    private final ServiceAccountCredentials credentials;

    private ServiceAccount(ServiceAccountCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * @param where the config key, for messages
     * @throws IllegalArgumentException with a message that names the key; it never quotes the value
     */
    static ServiceAccount read(Secret json, String where, HttpTransportFactory transports) {
        if (!json.reveal().contains("\"service_account\"")) {
            throw new IllegalArgumentException(where + " is not a service account key: give the JSON key file"
                    + " downloaded for the service account (IAM & Admin, Service accounts, Keys, Add key, JSON), e.g."
                    + " ${file:intake-google-sa.json}");
        }
        try {
            ServiceAccountCredentials credentials = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(json.reveal().getBytes(StandardCharsets.UTF_8)), transports);
            return new ServiceAccount(credentials);
        } catch (IOException | RuntimeException e) {
            // the library's messages name fields, not values; still, only the exception's type is shown
            throw new IllegalArgumentException(where + " is a service account key google-auth-library cannot read ("
                    + e.getClass().getSimpleName() + "); download a new JSON key for the service account", e);
        }
    }

    /** The numeric client ID that a Workspace admin enters under Domain-wide delegation. */
    String clientId() {
        return credentials.getClientId();
    }

    String email() {
        return credentials.getClientEmail();
    }

    /** Credentials that act as {@code mailbox} with {@code scopes}, asking {@code tokenUri} for tokens. */
    ServiceAccountCredentials delegatedTo(String mailbox, java.util.List<String> scopes, URI tokenUri,
            HttpTransportFactory transports) {
        return credentials.toBuilder()
                .setTokenServerUri(tokenUri)
                .setHttpTransportFactory(transports)
                .setServiceAccountUser(mailbox)
                .setScopes(scopes)
                .build();
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + email() + ", client id " + clientId() + "]";
    }
}
