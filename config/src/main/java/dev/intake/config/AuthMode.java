package dev.intake.config;

/**
 * Whose authority opens a mailbox: {@code auth} on a provider (the default of its mailboxes) or on a mailbox.
 */
public enum AuthMode {
    /** A person signs in once (the Authorize button); Intake keeps that person's grant. The default. */
    DELEGATED,
    /**
     * The application itself, with no person in the loop: Entra's client credentials grant (a certificate or the
     * client secret), Google's service account with domain-wide delegation.
     */
    APP
}
