package dev.intake.app.imap;

/**
 * The server refused the access token (SASL XOAUTH2 answered NO). The usual cause is an expired or revoked token:
 * get a fresh token and try once more; if that is refused too, the mailbox needs re-authorization or the account
 * lacks access to it.
 */
public final class ImapAuthenticationException extends ImapException {

    ImapAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ImapAuthenticationException withAdvice(String advice) {
        return new ImapAuthenticationException(advised(advice), getCause());
    }
}
