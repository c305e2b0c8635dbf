package dev.intake.provider;

import dev.intake.config.Secret;
import java.time.Duration;
import java.time.Instant;

/** A bearer token for IMAP XOAUTH2, kept in memory only. */
public record AccessToken(Secret value, Instant expiresAt) {

    /** True when the token is still good for at least {@code margin} at {@code now}. */
    public boolean validFor(Duration margin, Instant now) {
        return now.plus(margin).isBefore(expiresAt);
    }
}
