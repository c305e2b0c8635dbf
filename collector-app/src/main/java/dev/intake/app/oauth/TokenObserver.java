package dev.intake.app.oauth;

/** Told of every token refresh at a provider (metrics): ok, reauthorize, client, transient. */
@FunctionalInterface
public interface TokenObserver {
    void refreshed(String mailboxId, String result);
}
