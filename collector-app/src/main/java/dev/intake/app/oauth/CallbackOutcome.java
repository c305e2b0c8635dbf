package dev.intake.app.oauth;

import java.util.Optional;

/** What the callback page tells the admin. */
public sealed interface CallbackOutcome {

    /** The grant is stored and the mailbox is active. */
    record Authorized(String mailboxId, String account) implements CallbackOutcome {
    }

    /**
     * Nothing was stored.
     *
     * @param status      the HTTP status of the result page (400 for a bad callback, 403 for a wrong account...)
     * @param title       one line
     * @param explanation what happened and what to do, in plain words
     * @param mailboxId   the mailbox, when the callback could be tied to one (to offer "try again")
     */
    record Refused(int status, String title, String explanation, Optional<String> mailboxId) implements CallbackOutcome {
    }
}
