package dev.intake.app.store;

/**
 * The stored lifecycle of a mailbox. "Failing" (consecutive failures) and "paused" (configuration) are shown
 * on top of it but are not states of their own: a failing mailbox is still authorized and still polled.
 */
public enum MailboxState {
    /** Configured, never authorized: waiting for an admin to sign in. */
    NOT_AUTHORIZED,
    /** Authorized and collected on schedule. */
    ACTIVE,
    /** The provider refused the grant (invalid_grant): not polled until an admin authorizes again. */
    NEEDS_REAUTHORIZATION
}
