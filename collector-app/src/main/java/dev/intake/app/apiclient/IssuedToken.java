package dev.intake.app.apiclient;

import dev.intake.config.Secret;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Tokens just issued: their values are in the response and nowhere else.
 *
 * @param refreshToken for the authorization code grant: used once for the next pair
 */
public record IssuedToken(Secret accessToken, Duration lifetime, Set<Scope> scopes, Optional<Secret> refreshToken) {
}
