package dev.intake.app.imap;

/**
 * An IMAP operation failed. Each subtype tells the caller what to do next; the message is a sentence an admin
 * understands and never contains the access token.
 *
 * <ul>
 *   <li>{@link ImapAuthenticationException}: the server refused the token: refresh it once and retry.</li>
 *   <li>{@link ImapConnectException}: no usable connection (network, TLS, server capabilities): back off.</li>
 *   <li>{@link ImapSessionLostException}: an open session ended: reconnect on the next run.</li>
 *   <li>{@link ImapFolderException}: a folder is missing or the server refused an operation in it.</li>
 * </ul>
 */
public abstract sealed class ImapException extends Exception
        permits ImapAuthenticationException, ImapConnectException, ImapSessionLostException, ImapFolderException {

    protected ImapException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The same failure with {@code advice} put first: what the server's answer means for this mailbox, from someone
     * who knows the server (an identity provider knows what Exchange Online means by its answers).
     */
    public abstract ImapException withAdvice(String advice);

    /** The advice, then this message as what happened. */
    protected final String advised(String advice) {
        return advice + " (" + getMessage() + ")";
    }
}
