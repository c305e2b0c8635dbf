package dev.intake.app.oauth;

/** A mailbox has no stored grant: an admin must authorize it first. */
public final class NotAuthorizedException extends RuntimeException {

    public NotAuthorizedException(String mailboxId) {
        super("mailbox '" + mailboxId + "' is not authorized yet: open Intake and choose Authorize, or run "
                + "`intake authorize " + mailboxId + "`");
    }
}
