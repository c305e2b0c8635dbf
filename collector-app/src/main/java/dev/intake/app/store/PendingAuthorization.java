package dev.intake.app.store;

import dev.intake.config.Secret;
import java.net.URI;
import java.time.Instant;

/** An authorization attempt that came back to the callback with a state Intake issued. */
public record PendingAuthorization(String mailboxId, String provider, Secret codeVerifier, URI redirectUri, Instant expiresAt) {
}
