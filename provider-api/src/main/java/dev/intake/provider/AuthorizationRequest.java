package dev.intake.provider;

import java.net.URI;

/**
 * What goes into an authorization URL.
 *
 * @param state     random, single use, stored by the app; comes back to the callback
 * @param loginHint the account expected to sign in (the mailbox, or a shared mailbox's delegate)
 */
public record AuthorizationRequest(URI redirectUri, String state, Pkce pkce, String loginHint) {
}
