package dev.intake.provider;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The app's view of an identity provider (Microsoft Entra, Google). One instance is bound to one
 * provider configuration and one client secret; when the operator changes the secret, the app builds a
 * new instance, so a changed secret is used from the next request on.
 *
 * <p>Implementations are stateless between calls: everything that must survive (the refresh token or
 * token cache) travels in a {@link Grant}, which the app stores encrypted.
 */
public interface IdentityProvider {

    /** The provider type this instance speaks, e.g. {@code entra} or {@code google}. */
    String type();

    /** Where this provider's mailboxes are reached by IMAP, unless the configuration overrides it. */
    ImapEndpoint imapDefaults();

    /** The URL to send the admin's browser to: carries state, the PKCE S256 challenge, scopes and login hint. */
    URI authorizationUrl(AuthorizationRequest request) throws ProviderException;

    /**
     * Redeems the code the provider sent to the callback. Returns the offline grant and the address of the
     * account that signed in, read from the ID token ({@code email}, else {@code preferred_username} / {@code upn}).
     *
     * @throws AuthorizationFailedException when the code is refused or the ID token names no address
     */
    AuthorizedGrant redeem(AuthorizationCode code) throws ProviderException;

    /**
     * Gets a fresh access token from a stored grant. When the provider rotated the refresh token the response
     * carries the new grant, which the caller must store before using the access token.
     *
     * @throws ReauthorizationRequiredException the grant is dead (invalid_grant): the mailbox must be re-authorized
     * @throws ClientCredentialsRejectedException the client secret was refused; the grant is still good
     * @throws TransientProviderException network trouble, 5xx or throttling: try again later
     */
    TokenResponse accessToken(Grant grant) throws ProviderException;

    /**
     * App-only access: a token that opens {@code mailbox} on the application's own authority, with no person's grant
     * (Entra's client credentials grant, Google's service account with domain-wide delegation). Nothing is stored:
     * the credentials are in the configuration, so the caller just asks again when the token nears its expiry.
     *
     * @param mailbox the mailbox address, which is also the IMAP user
     * @throws ClientCredentialsRejectedException the provider refused the application's credentials or its access to
     *         the mailbox, or the configuration lacks what app-only access needs; the message names the step to take
     * @throws TransientProviderException network trouble, 5xx or throttling: try again later
     */
    default AccessToken appOnlyToken(String mailbox) throws ProviderException {
        throw new ClientCredentialsRejectedException("app_only_unsupported", "The " + type() + " provider does not"
                + " support app-only access; write auth: delegated and authorize the mailbox.");
    }

    /**
     * Whether {@link #appOnlyToken} proves the application with its client secret, so that {@code client-secret-next}
     * is worth trying when it is refused; false when a certificate or a service account key does.
     */
    default boolean appOnlyUsesClientSecret() {
        return true;
    }

    /**
     * What an admin must do outside Intake before app-only access opens {@code mailbox}, in order and with the
     * commands to run (Exchange Online's service principal and mailbox permission, Google's domain-wide delegation);
     * empty when there is nothing.
     */
    default List<String> appOnlySetup(String mailbox) {
        return List.of();
    }

    /**
     * Explains what this provider's IMAP server answered when it accepted the token but would not open the mailbox,
     * in the provider's terms: Exchange's "User is authenticated but not connected", for one, means a step outside
     * the app registration is missing. Empty when the answer is nothing this provider knows.
     *
     * @param serverAnswer the server's answer, without any token
     * @param mailbox      the mailbox address
     * @param appOnly      whether the mailbox is opened with app-only access
     */
    default Optional<String> explainImapRefusal(String serverAnswer, String mailbox, boolean appOnly) {
        return Optional.empty();
    }

    /**
     * Explains an {@code error} / {@code error_description} pair that the provider sent to the callback
     * instead of a code (access_denied, consent_required, an AADSTS code...), in words an admin understands.
     */
    AuthorizationFailedException explainCallbackError(String error, String errorDescription);
}
