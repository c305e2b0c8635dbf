package dev.intake.provider.google;

import dev.intake.provider.AuthorizationFailedException;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.ProviderException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TransientProviderException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what Google's token endpoint answers into Intake's typed failures, with a message of the form
 * {@code <error>: <what happened, in an admin's words> <what to do>}. Google's own descriptions are terse
 * ("Token has been expired or revoked.", "Unauthorized"), so the usual causes are spelled out.
 */
final class GoogleErrors {

    /** What was being attempted: a refused refresh kills the grant, a refused code only fails that sign-in. */
    enum Flow { REDEEM, REFRESH }

    private static final int MAX_QUOTED = 300;
    private static final Pattern OAUTH_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern HTTP_STATUS = Pattern.compile("\\b([45]\\d\\d) [A-Z][A-Za-z ]*");

    private final String providerKey;
    private final String secretKey;

    GoogleErrors(String providerName, String clientSecretKey) {
        this.providerKey = "providers." + providerName;
        this.secretKey = clientSecretKey;
    }

    /** An error answer of the token endpoint. */
    ProviderException fromResponse(Flow flow, int status, String error, String description) {
        boolean noError = error == null || error.isBlank();
        // Google's token endpoint answers 401 only for invalid_client; and the JDK's HttpURLConnection drops the body
        // of a 401 to a streamed POST (as google-http-client sends it), so a bare 401 is all that arrives
        String code = noError ? (status == 401 ? "invalid_client" : "http_" + status) : error;
        if (status == 429 || status >= 500) {
            return new TransientProviderException(code, code + ": Google's token endpoint is unavailable (HTTP " + status
                    + ")" + quoted(description) + ". Intake will try again later.");
        }
        if (status == 404) {
            return new ClientCredentialsRejectedException(code, code + ": Google's token endpoint was not found at the"
                    + " configured address (HTTP 404). Check " + providerKey + ".token-uri; the mailboxes stay authorized.");
        }
        if (code.equals("invalid_client") || code.equals("unauthorized_client")) {
            return new ClientCredentialsRejectedException(code, code + ": Google refused Intake's client credentials"
                    + quoted(description) + ". Check " + secretKey + " and " + providerKey + ".client-id against the OAuth"
                    + " client in the Google Cloud console (APIs & Services, Credentials); the mailboxes stay authorized.");
        }
        if (flow == Flow.REDEEM) {
            String advice = code.equals("redirect_uri_mismatch")
                    ? ". Add server.public-url followed by /oauth/callback, exactly, as an authorized redirect URI of the"
                            + " OAuth client, then start the authorization again."
                    : ". Start the authorization again from Intake.";
            return new AuthorizationFailedException(code, code + ": Google refused the authorization code"
                    + quoted(description) + advice);
        }
        if (code.equals("invalid_grant")) {
            return new ReauthorizationRequiredException(code, code + ": Google no longer accepts the stored grant"
                    + quoted(description) + ". Usual causes: the user removed Intake's access in the Google account,"
                    + " the grant was unused for 6 months, the account's password was changed, or the OAuth app is in"
                    + " \"Testing\" publishing status, where grants die after 7 days (publish the app in the OAuth consent"
                    + " screen). Authorize the mailbox again.");
        }
        return new ReauthorizationRequiredException(code, code + ": Google refused to refresh the grant"
                + quoted(description) + ". Authorize the mailbox again.");
    }

    /**
     * A failure of a service account's JWT bearer grant. google-auth-library reports an error answer as an
     * IOException whose message holds the HTTP status and Google's JSON body, so the OAuth error is read from there.
     */
    ProviderException onServiceAccount(IOException e, String clientId, String accountEmail, String mailbox) {
        String text = String.valueOf(e.getMessage());
        Matcher status = HTTP_STATUS.matcher(text);
        Matcher error = OAUTH_ERROR.matcher(text);
        if (!status.find() && !error.find(0)) {
            return fromIo(e);
        }
        int http = status.find(0) ? Integer.parseInt(status.group(1)) : 400;
        // Google answers a missing delegation with 401 unauthorized_client, and the JDK drops the body of a 401 to a
        // streamed POST; in this grant no other error comes with 401 (a deleted key is 400 invalid_grant)
        String code = error.find(0) ? error.group(1) : http == 401 ? "unauthorized_client" : "http_" + http;
        if (http == 429 || http >= 500) {
            return new TransientProviderException(code, code + ": Google's token endpoint is unavailable (HTTP " + http
                    + "). Intake will try again later.", e);
        }
        String sentence = switch (code) {
            case "unauthorized_client" -> "Google refused the service account " + accountEmail + " a token for " + mailbox
                    + ": domain-wide delegation is not granted for its client ID and Gmail's scope. In the Google Admin"
                    + " console (Security, Access and data control, API controls, Manage Domain Wide Delegation), add"
                    + " client ID " + clientId + " with the OAuth scope https://mail.google.com/ (or add that scope to"
                    + " its existing entry). It can take some minutes, up to a day, to apply; then use Test connection.";
            case "invalid_grant" -> text.contains("Invalid JWT Signature")
                    ? "Google does not accept the signature of the service account key in " + providerKey
                            + ".service-account-key: the key was deleted or belongs to another account. Create a new JSON"
                            + " key for " + accountEmail + " and configure it."
                    : "Google refused the service account's assertion for " + mailbox + ": the address"
                    + " is not a user of the Workspace domain that granted the delegation, or this machine's clock is"
                    + " wrong. Check the mailbox address (a group or alias cannot be opened) and synchronise the clock.";
            case "invalid_client" -> "Google does not accept the service account key of " + providerKey
                    + ".service-account-key: the key was deleted or the service account disabled. Create a new JSON key"
                    + " for " + accountEmail + " and configure it.";
            default -> "Google refused the service account " + accountEmail + " a token for " + mailbox + " (" + code
                    + "). Check " + providerKey + ".service-account-key and the domain-wide delegation.";
        };
        return new ClientCredentialsRejectedException(code, code + ": " + sentence, e);
    }

    /** Google could not be reached or its answer could not be read. */
    ProviderException fromIo(IOException e) {
        if (e instanceof SSLException) {
            return new TransientProviderException("tls", "Google's TLS certificate is not trusted or the TLS handshake"
                    + " failed (" + e.getClass().getSimpleName() + "). If Google is reached through a private CA,"
                    + " configure tls.truststore.", e);
        }
        return new TransientProviderException("network", "Intake could not reach Google's token endpoint ("
                + e.getClass().getSimpleName() + "). It will try again.", e);
    }

    /** An {@code error} / {@code error_description} pair Google sent to the callback instead of a code. */
    AuthorizationFailedException onCallback(String error, String description) {
        String code = error == null || error.isBlank() ? "unknown_error" : error;
        String sentence = switch (code) {
            case "access_denied" -> "The sign-in was cancelled or access was not allowed. Authorize again and allow"
                    + " access to the mailbox. While the OAuth app is in \"Testing\" status, only its listed test users"
                    + " may sign in.";
            case "admin_policy_enforced" -> "A Google Workspace policy blocks this app. A Workspace admin must trust"
                    + " Intake's OAuth client (Admin console, Security, API controls).";
            case "org_internal" -> "The OAuth app is limited to users of its own Google Workspace organization. Sign in"
                    + " with an account of that organization, or make the app external.";
            case "invalid_scope" -> "Google refused the requested scopes" + quoted(description) + ". Check that the"
                    + " Gmail API scope https://mail.google.com/ is allowed for the OAuth client.";
            case "redirect_uri_mismatch" -> "The redirect URI is not registered. Add server.public-url followed by"
                    + " /oauth/callback, exactly, as an authorized redirect URI of the OAuth client.";
            case "temporarily_unavailable", "server_error" -> "Google had a temporary problem. Try the authorization"
                    + " again in a few minutes.";
            case "interaction_required", "login_required", "consent_required" -> "Google needs the user to sign in and"
                    + " consent interactively. Authorize again.";
            default -> "Google refused the sign-in" + quoted(description) + ". Authorize again.";
        };
        return new AuthorizationFailedException(code, code + ": " + sentence);
    }

    private static String quoted(String description) {
        if (description == null || description.isBlank()) {
            return "";
        }
        String line = description.strip().split("\\R", 2)[0];
        if (line.length() > MAX_QUOTED) {
            line = line.substring(0, MAX_QUOTED) + "...";
        }
        return " (Google: \"" + line + "\")";
    }
}
