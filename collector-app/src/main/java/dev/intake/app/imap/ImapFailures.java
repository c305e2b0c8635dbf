package dev.intake.app.imap;

import dev.intake.config.ImapSecurity;
import dev.intake.config.Secret;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.ReadOnlyFolderException;
import jakarta.mail.StoreClosedException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.iap.ConnectionException;

/**
 * Turns Angus Mail's exceptions into {@link ImapException}s with messages that say what happened and what to do.
 *
 * <p>Angus reports most failures as a bare {@code MessagingException} whose cause chain tells the story
 * (a {@code SocketException}, an {@code SSLHandshakeException}, an IAP {@code ConnectionException} after BYE), and
 * some as text only (STARTTLS missing, a BYE inside a body stream). So classification walks the chain, and for
 * work in a folder the caller also says whether the connection is still alive, which is the surest sign.
 */
final class ImapFailures {

    /** Microsoft's reason in {@code * BYE ... AccessTokenExpired} when a session outlives its token. */
    static final String ACCESS_TOKEN_EXPIRED = "AccessTokenExpired";

    private ImapFailures() {
    }

    /** A failure of {@code store.connect}: nothing is open yet. */
    static ImapException connecting(Exception e, ImapTarget target, TlsTrust trust, Secret token) {
        String at = target.address();
        Throwable cause = safeCause(e, target, token);
        if (e instanceof AuthenticationFailedException) {
            return new ImapAuthenticationException("The IMAP server at " + at + " refused the access token for "
                    + target.user() + " (server said: " + detail(e, target, token) + "). Get a fresh token and try once more;"
                    + " if it is refused again, re-authorize the mailbox and check that the signed-in account"
                    + " may open this mailbox.", cause);
        }
        if (find(e, Xoauth2OnlyStore.Xoauth2NotOfferedException.class).isPresent()) {
            return new ImapConnectException("The IMAP server at " + at + " does not offer SASL XOAUTH2 (no AUTH=XOAUTH2"
                    + " among its capabilities), so Intake sent no credentials. Check the IMAP host and port:"
                    + " they must name the provider's OAuth-enabled IMAP server.", cause);
        }
        if (anyMessageContains(e, "STARTTLS required")) {
            return new ImapConnectException("The IMAP server at " + at + " does not offer STARTTLS, and Intake never"
                    + " sends a token over an unencrypted connection. Use security TLS (usually port 993),"
                    + " or a server that supports STARTTLS.", cause);
        }
        Optional<SSLException> tls = find(e, SSLException.class);
        if (tls.isPresent()) {
            return tlsFailure(tls.get(), target, trust, token, cause);
        }
        if (find(e, UnknownHostException.class).isPresent()) {
            return new ImapConnectException("The IMAP host " + target.host() + " is unknown (DNS lookup failed)."
                    + " Check the mailbox's IMAP host.", cause);
        }
        if (find(e, ConnectException.class).isPresent()) {
            return new ImapConnectException("Nothing accepts connections at " + at + " (" + detail(e, target, token)
                    + "). Check the IMAP host and port, and that the network lets Intake reach the server.", cause);
        }
        if (find(e, SocketTimeoutException.class).isPresent()) {
            return new ImapConnectException("No answer from the IMAP server at " + at + " within the timeout ("
                    + target.connectTimeout().toSeconds() + " s to connect, " + target.readTimeout().toSeconds()
                    + " s to answer). Check the host and port and the network; Intake will retry.", cause);
        }
        return new ImapConnectException("Could not open an IMAP session with " + at + ": " + detail(e, target, token)
                + ". Intake will retry; if this persists, check the IMAP host, port and security settings.", cause);
    }

    private static ImapConnectException tlsFailure(
            SSLException tls, ImapTarget target, TlsTrust trust, Secret token, Throwable cause) {
        String at = target.address();
        boolean untrusted = find(tls, CertPathBuilderException.class).isPresent()
                || find(tls, CertPathValidatorException.class).isPresent()
                || anyMessageContains(tls, "PKIX path");
        if (untrusted) {
            String configured = trust.truststore()
                    .map(p -> " The configured tls.truststore " + p + " does not contain it or its issuer.")
                    .orElse("");
            return new ImapConnectException("The TLS certificate of the IMAP server at " + at + " is not trusted."
                    + configured + " If the server uses a private CA, configure tls.truststore with that CA's"
                    + " certificate.", cause);
        }
        if (find(tls, CertificateException.class).isPresent()) {
            return new ImapConnectException("The TLS certificate of the IMAP server at " + at + " does not match the host "
                    + target.host() + " (" + detail(tls, target, token) + "). Configure the host name the certificate is"
                    + " issued for.", cause);
        }
        String expected = target.security() == ImapSecurity.TLS
                ? "TLS from the first byte (imaps, usually port 993)"
                : "STARTTLS (usually port 143)";
        return new ImapConnectException("The TLS handshake with the IMAP server at " + at + " failed ("
                + detail(tls, target, token) + "). Check that this port speaks " + expected + ".", cause);
    }

    /**
     * A failure while working in an open session.
     *
     * @param action       what was being done, as a verb phrase: "move messages to \"Intake/Accepted\""
     * @param folder       the folder worked in
     * @param sessionAlive whether the connection still stands after the failure
     * @param serverBye    the BYE the server sent on this connection, if it sent one
     */
    static ImapException working(Exception e, String action, String folder, boolean sessionAlive,
            Optional<String> serverBye, ImapTarget target, Secret token) {
        if (!sessionAlive || isConnectionFailure(e) || serverBye.isPresent()) {
            return sessionLost(e, serverBye, target, token);
        }
        Throwable cause = safeCause(e, target, token);
        if (e instanceof FolderNotFoundException) {
            return new ImapFolderException("Could not " + action + ": the folder \"" + folder + "\" does not exist in "
                    + target.user() + " at " + target.address() + ". Check the folder setting of the mailbox.", cause);
        }
        if (e instanceof ReadOnlyFolderException) {
            return new ImapFolderException("Could not " + action + ": the folder \"" + folder + "\" in " + target.user()
                    + " may only be read. Give the signed-in account full access to the mailbox.", cause);
        }
        return new ImapFolderException("The IMAP server at " + target.address() + " refused to " + action
                + " (folder \"" + folder + "\"): " + detail(e, target, token) + ".", cause);
    }

    static ImapSessionLostException sessionLost(
            Throwable e, Optional<String> serverBye, ImapTarget target, Secret token) {
        Throwable cause = safeCause(e, target, token);
        if (anyMessageContains(e, ACCESS_TOKEN_EXPIRED)
                || serverBye.filter(bye -> bye.contains(ACCESS_TOKEN_EXPIRED)).isPresent()) {
            return new ImapSessionLostException("The IMAP server at " + target.address() + " ended the session because"
                    + " the access token expired (" + ACCESS_TOKEN_EXPIRED + "). Reconnect with a fresh token;"
                    + " messages not yet handled stay on the server.", true, cause);
        }
        String why = serverBye.map(bye -> scrub(bye, target, token)).orElseGet(() -> detail(e, target, token));
        return new ImapSessionLostException("The IMAP session with " + target.address() + " was lost (" + why + "). Messages not yet handled stay on the server; the next run reconnects.",
                false, cause);
    }

    /** True when the exception says the connection is gone, rather than that one command was refused. */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FolderClosedException || t instanceof StoreClosedException
                    || t instanceof ConnectionException
                    || t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof EOFException || t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** The most telling text in the chain, without the token. */
    static String detail(Throwable e, ImapTarget target, Secret token) {
        String text = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text = t.getMessage();
                break;
            }
        }
        if (text == null) {
            text = e.getClass().getSimpleName();
        }
        return scrub(text.strip(), target, token);
    }

    /** Removes the token, and the XOAUTH2 encodings that carry it, from a text that came from outside. */
    static String scrub(String text, ImapTarget target, Secret token) {
        if (token == null || token.isEmpty() || text == null) {
            return text;
        }
        String sasl = "user=" + target.user() + "\001auth=Bearer " + token.reveal() + "\001\001";
        return text.replace(token.reveal(), "******")
                .replace(base64(token.reveal()), "******")
                .replace(base64(sasl), "******");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cause to attach: the original, unless some message in its chain contains the token. */
    private static Throwable safeCause(Throwable e, ImapTarget target, Secret token) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !scrub(m, target, token).equals(m)) {
                return null;
            }
        }
        return e;
    }

    private static boolean anyMessageContains(Throwable e, String needle) {
        String lower = needle.toLowerCase(Locale.ROOT);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(lower)) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
