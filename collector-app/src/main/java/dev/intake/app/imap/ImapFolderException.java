package dev.intake.app.imap;

/**
 * A folder is missing (and may not be created), cannot hold messages, or the server refused an operation in it
 * (for example MOVE, STORE or EXPUNGE answered NO). The session itself is still usable.
 */
public final class ImapFolderException extends ImapException {

    ImapFolderException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ImapFolderException withAdvice(String advice) {
        return new ImapFolderException(advised(advice), getCause());
    }
}
