package dev.intake.app.imap;

/**
 * An established session ended under us: the server said BYE, the connection was reset or timed out.
 * The session is unusable; open a new one. Messages not yet post-processed are left as they were on the server.
 */
public final class ImapSessionLostException extends ImapException {

    private final boolean accessTokenExpired;

    ImapSessionLostException(String message, boolean accessTokenExpired, Throwable cause) {
        super(message, cause);
        this.accessTokenExpired = accessTokenExpired;
    }

    /**
     * True when the server ended the session because the access token expired (Microsoft's
     * {@code * BYE ... AccessTokenExpired}): reconnect with a fresh token rather than the cached one.
     */
    public boolean accessTokenExpired() {
        return accessTokenExpired;
    }

    @Override
    public ImapSessionLostException withAdvice(String advice) {
        return new ImapSessionLostException(advised(advice), accessTokenExpired, getCause());
    }
}
