package dev.intake.provider.entra;

import com.microsoft.aad.msal4j.MsalClientException;
import com.microsoft.aad.msal4j.MsalServiceException;
import dev.intake.provider.AuthorizationFailedException;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.ProviderException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TransientProviderException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what Entra (through msal4j) answers into Intake's typed failures, with a message of the form
 * {@code AADSTSnnnn: <what happened, in an admin's words> <what to do>}. Entra's own descriptions are written for
 * developers and carry trace ids; the AADSTS number is what admins search for, so it leads every message.
 *
 * <p>Which exception a failure becomes depends on the AADSTS number where it decides (a rejected client secret is
 * the operator's to fix, whatever the flow), else on the OAuth {@code error}, else on the flow: a refused refresh
 * means the mailbox must be authorized again, a refused code means the sign-in must be started again.
 */
final class EntraErrors {

    private enum Kind { REAUTHORIZE, CLIENT, TRANSIENT, BY_FLOW }

    private record Known(Kind kind, String sentence) {
    }

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    private static final int MAX_QUOTED = 300;

    /** {secret} stands for the client secret's config key, {provider} for {@code providers.NAME}. */
    private static final Map<String, Known> KNOWN = Map.ofEntries(
            Map.entry("700082", new Known(Kind.REAUTHORIZE,
                    "The mailbox's refresh token expired because Intake did not use it for 90 days. Authorize the mailbox again.")),
            Map.entry("50173", new Known(Kind.REAUTHORIZE,
                    "Entra revoked the grant, usually because the account's password was changed or reset, or an admin revoked its sessions. Authorize the mailbox again.")),
            Map.entry("70008", new Known(Kind.BY_FLOW,
                    "The authorization code or refresh token has expired. Authorize the mailbox again.")),
            Map.entry("70000", new Known(Kind.BY_FLOW,
                    "Entra no longer accepts this grant. Authorize the mailbox again.")),
            Map.entry("9002313", new Known(Kind.BY_FLOW,
                    "Entra refused the request as malformed or the token as invalid. Authorize the mailbox again.")),
            Map.entry("54005", new Known(Kind.BY_FLOW,
                    "This authorization code was already used (the callback page was probably reloaded). Start the authorization again from Intake.")),
            Map.entry("501481", new Known(Kind.BY_FLOW,
                    "The code does not belong to this authorization attempt (the PKCE verifier does not match). Start the authorization again from Intake.")),
            Map.entry("50148", new Known(Kind.BY_FLOW,
                    "The code does not belong to this authorization attempt (the PKCE verifier does not match). Start the authorization again from Intake.")),
            Map.entry("500117", new Known(Kind.BY_FLOW,
                    "The redirect URI changed between the sign-in and the code redemption. Check that server.public-url is stable, then start the authorization again.")),
            Map.entry("7000222", new Known(Kind.CLIENT,
                    "The client secret has expired. Create a new client secret in the app registration (Certificates & secrets) and set its value as {secret}; the mailboxes stay authorized.")),
            Map.entry("7000215", new Known(Kind.CLIENT,
                    "Entra refused the client secret. Check {secret}: it must be the secret's Value, not its Secret ID.")),
            Map.entry("7000218", new Known(Kind.CLIENT,
                    "No client secret reached Entra. Set {secret}.")),
            Map.entry("700016", new Known(Kind.CLIENT,
                    "Entra knows no application with this client id in the tenant. Check {provider}.client-id and {provider}.tenant.")),
            Map.entry("90002", new Known(Kind.CLIENT,
                    "Entra does not know the tenant. Check {provider}.tenant (the directory id or a verified domain) and {provider}.authority.")),
            Map.entry("65004", new Known(Kind.BY_FLOW,
                    "The user declined to consent to Intake's access to the mailbox. Authorize again and accept the permissions, or have an Entra admin grant consent for the organization.")),
            Map.entry("65001", new Known(Kind.BY_FLOW,
                    "Intake's app registration has no consent for IMAP access in this tenant. An Entra admin must grant consent (Enterprise applications, Permissions), then authorize the mailbox again.")),
            Map.entry("9002325", new Known(Kind.BY_FLOW,
                    "The redirect URI is registered as a single-page application (SPA). In the app registration, register it under the Web platform instead, then authorize again.")),
            Map.entry("50011", new Known(Kind.BY_FLOW,
                    "The redirect URI is not registered for the app. Add server.public-url followed by /oauth/callback, exactly, as a Web redirect URI in the app registration.")),
            Map.entry("50076", new Known(Kind.REAUTHORIZE,
                    "Multi-factor authentication or a Conditional Access policy requires an interactive sign-in. Authorize the mailbox again in a browser.")),
            Map.entry("50079", new Known(Kind.REAUTHORIZE,
                    "The account must register for multi-factor authentication. Sign in interactively, finish the registration, then authorize the mailbox again.")),
            Map.entry("50158", new Known(Kind.REAUTHORIZE,
                    "An external security challenge (multi-factor authentication or Conditional Access) must be passed interactively. Authorize the mailbox again.")),
            Map.entry("53003", new Known(Kind.REAUTHORIZE,
                    "A Conditional Access policy blocks this sign-in. An Entra admin must allow it, then authorize the mailbox again.")),
            Map.entry("50057", new Known(Kind.REAUTHORIZE,
                    "The account is disabled in Entra. Enable it, or authorize the mailbox with another account.")),
            Map.entry("50055", new Known(Kind.REAUTHORIZE,
                    "The account's password has expired. Change it, then authorize the mailbox again.")),
            Map.entry("50020", new Known(Kind.BY_FLOW,
                    "The account that signed in does not belong to the configured tenant. Sign in with an account of the tenant, or check {provider}.tenant.")),
            Map.entry("90072", new Known(Kind.BY_FLOW,
                    "The account that signed in does not belong to the configured tenant. Sign in with an account of the tenant, or check {provider}.tenant.")),
            Map.entry("50034", new Known(Kind.BY_FLOW,
                    "The account does not exist in the tenant. Sign in with an existing account.")),
            Map.entry("500011", new Known(Kind.BY_FLOW,
                    "Exchange Online (https://outlook.office.com) is not available in this tenant, so there is no IMAP access to grant.")),
            Map.entry("28000", new Known(Kind.BY_FLOW,
                    "The request asked for scopes of two resources at once (such as Outlook and Microsoft Graph), which Entra refuses. Intake asks only for Outlook IMAP and OpenID scopes; check that nothing adds others, then authorize again.")),
            Map.entry("700027", new Known(Kind.CLIENT,
                    "Entra refused the client certificate: its signature does not verify against a certificate of the app registration. Upload the certificate of {provider}.client-certificate to the app registration (Certificates & secrets, Certificates), or configure the certificate that is uploaded there.")),
            Map.entry("700024", new Known(Kind.CLIENT,
                    "Entra refused the client assertion as outside its valid time range: this machine's clock is probably wrong. Synchronise it (NTP).")),
            Map.entry("70011", new Known(Kind.CLIENT,
                    "Entra refused the requested scope. For app-only IMAP the app registration needs the Office 365 Exchange Online application permission IMAP.AccessAsApp with admin consent.")),
            Map.entry("1002012", new Known(Kind.CLIENT,
                    "Entra refused the requested scope. For app-only IMAP the app registration needs the Office 365 Exchange Online application permission IMAP.AccessAsApp with admin consent.")),
            Map.entry("7000112", new Known(Kind.CLIENT,
                    "The application is disabled in the tenant (Enterprise applications, Properties, Enabled for users to sign in). Enable it.")),
            Map.entry("50196", new Known(Kind.TRANSIENT,
                    "Entra is throttling requests from this client. Intake will try again later.")),
            Map.entry("90033", new Known(Kind.TRANSIENT,
                    "Entra had a transient error. Intake will try again.")));

    private final String secretKey;
    private final String providerKey;

    EntraErrors(String providerName, String clientSecretKey) {
        this.providerKey = "providers." + providerName;
        this.secretKey = clientSecretKey;
    }

    /** A failure while refreshing a stored grant. */
    ProviderException onRefresh(Throwable failure) {
        return translate(failure, Kind.REAUTHORIZE);
    }

    /** A failure of the client credentials grant (app-only): there is no grant that could have died. */
    ProviderException onAppOnly(Throwable failure) {
        return translate(failure, Kind.CLIENT);
    }

    /** A failure while redeeming a code: a refused code means the sign-in must start again, not that a grant died. */
    ProviderException onRedeem(Throwable failure) {
        return translate(failure, null);
    }

    /** An {@code error} / {@code error_description} pair Entra sent to the callback instead of a code. */
    AuthorizationFailedException onCallback(String error, String description) {
        String oauthError = error == null || error.isBlank() ? "unknown_error" : error;
        Optional<String> number = aadsts(description);
        Known known = number.map(KNOWN::get).orElse(null);
        String sentence;
        if (known != null) {
            sentence = fill(known.sentence());
        } else {
            sentence = switch (oauthError) {
                case "access_denied" -> "The sign-in was cancelled or consent was declined. Authorize again and accept the permissions.";
                case "consent_required" -> "Consent is required for Intake's access. An Entra admin must grant it, or the user must accept it at sign-in.";
                case "interaction_required", "login_required" -> "Entra needs the user to sign in interactively. Authorize again.";
                case "temporarily_unavailable", "server_error" -> "Entra had a temporary problem. Try the authorization again in a few minutes.";
                case "invalid_client", "unauthorized_client" -> "Entra does not accept Intake's app for this sign-in. Check " + providerKey + ".client-id and " + providerKey + ".tenant.";
                default -> "Entra refused the sign-in" + quoted(description) + ". Authorize again; if it persists, look the code up in Entra's sign-in logs.";
            };
        }
        return new AuthorizationFailedException(number.map(n -> "AADSTS" + n).orElse(oauthError),
                number.map(n -> "AADSTS" + n).orElse(oauthError) + ": " + sentence);
    }

    private ProviderException translate(Throwable failure, Kind flowKind) {
        Throwable cause = unwrap(failure);
        if (cause instanceof MsalServiceException service) {
            return fromService(service, flowKind);
        }
        if (cause instanceof MsalClientException client) {
            return fromClient(client, flowKind);
        }
        return new TransientProviderException(null,
                "Intake could not get a token from Entra (" + cause.getClass().getSimpleName() + "). It will try again.", cause);
    }

    private ProviderException fromService(MsalServiceException e, Kind flowKind) {
        String error = e.errorCode() == null ? "unknown_error" : e.errorCode();
        Optional<String> number = aadsts(e.getMessage());
        Known known = number.map(KNOWN::get).orElse(null);
        Integer status = e.statusCode();

        Kind kind;
        if ((status != null && (status >= 500 || status == 429))
                || error.equals("temporarily_unavailable") || error.equals("server_error")
                || (known != null && known.kind() == Kind.TRANSIENT)) {
            kind = Kind.TRANSIENT;
        } else if ((known != null && known.kind() == Kind.CLIENT)
                || error.equals("invalid_client") || error.equals("unauthorized_client")
                || (status != null && status == 404)) {
            kind = Kind.CLIENT;
        } else if (flowKind == null) {
            kind = null; // the code was refused
        } else {
            kind = known != null && known.kind() == Kind.REAUTHORIZE ? Kind.REAUTHORIZE : flowKind;
        }

        String code = number.map(n -> "AADSTS" + n).orElse(error);
        String sentence = known != null ? fill(known.sentence()) : fallback(kind, error, e.getMessage(), status);
        String message = code + ": " + sentence;
        if (kind == null) {
            return new AuthorizationFailedException(code, message, e);
        }
        return switch (kind) {
            case TRANSIENT -> new TransientProviderException(code, message, e);
            case CLIENT -> new ClientCredentialsRejectedException(code, message, e);
            default -> new ReauthorizationRequiredException(code, message, e);
        };
    }

    private String fallback(Kind kind, String error, String description, Integer status) {
        if (kind == null) {
            return "Entra refused the authorization code" + quoted(description) + ". Start the authorization again from Intake.";
        }
        return switch (kind) {
            case TRANSIENT -> "Entra is temporarily unavailable" + (status == null ? "" : " (HTTP " + status + ")")
                    + ". Intake will try again later.";
            case CLIENT -> status != null && status == 404
                    ? "Entra's token endpoint was not found at the configured address (HTTP 404). Check "
                            + providerKey + ".authority and " + providerKey + ".tenant; the mailboxes stay authorized."
                    : "Entra refused Intake's client credentials" + quoted(description) + ". Check " + secretKey
                            + " and " + providerKey + ".client-id.";
            default -> (error.equals("invalid_grant")
                    ? "Entra no longer accepts the stored grant: it was revoked or expired, or the password changed"
                    : "Entra refused to refresh the grant")
                    + quoted(description) + ". Authorize the mailbox again.";
        };
    }

    private ProviderException fromClient(MsalClientException e, Kind flowKind) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof SSLException) {
            return new TransientProviderException("tls", "Entra's TLS certificate is not trusted or the TLS handshake failed ("
                    + root.getClass().getSimpleName() + "). If Entra is reached through a private CA, configure tls.truststore.", e);
        }
        if (root instanceof IOException) {
            return new TransientProviderException("network", "Intake could not reach Entra (" + root.getClass().getSimpleName()
                    + "). It will try again.", e);
        }
        if (flowKind == Kind.REAUTHORIZE && "cache_miss".equals(e.errorCode())) {
            return new ReauthorizationRequiredException("cache_miss",
                    "The stored grant holds no refresh token for this mailbox's account. Authorize the mailbox again.", e);
        }
        return new TransientProviderException(e.errorCode(), "Intake could not complete the request to Entra ("
                + e.errorCode() + "). It will try again.", e);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static Optional<String> aadsts(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = AADSTS.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private String fill(String sentence) {
        return sentence.replace("{secret}", secretKey).replace("{provider}", providerKey);
    }

    /** Entra's own first line, without its AADSTS prefix and trace ids, for codes this class does not know. */
    private static String quoted(String description) {
        if (description == null || description.isBlank()) {
            return "";
        }
        String firstLine = description.strip().split("\\R", 2)[0].replaceFirst("^AADSTS\\d+:\\s*", "").strip();
        if (firstLine.length() > MAX_QUOTED) {
            firstLine = firstLine.substring(0, MAX_QUOTED) + "...";
        }
        return firstLine.isEmpty() ? "" : " (Entra: \"" + firstLine + "\")";
    }
}
