package dev.intake.app.oauth;

/**
 * Told when a mailbox's authorization changes (authorized, or refused by the provider and now needing
 * re-authorization), so that its collection starts or stops at once rather than at the next reconciliation.
 */
@FunctionalInterface
public interface AuthorizationEvents {

    void authorizationChanged(String mailboxId);
}
