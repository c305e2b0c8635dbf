package dev.intake.app.imap;

/**
 * No usable IMAP connection could be made: the host is unknown or unreachable, the TLS handshake failed
 * (for example an untrusted certificate), or the server lacks something Intake insists on (STARTTLS,
 * SASL XOAUTH2). Nothing was sent that could reveal the token. Retrying helps only for network trouble.
 */
public final class ImapConnectException extends ImapException {

    ImapConnectException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ImapConnectException withAdvice(String advice) {
        return new ImapConnectException(advised(advice), getCause());
    }
}
