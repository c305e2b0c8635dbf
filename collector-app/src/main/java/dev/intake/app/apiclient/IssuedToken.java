package dev.intake.app.apiclient;

import dev.intake.config.Secret;
import java.time.Duration;
import java.util.Set;

/** An access token just issued: its value is in the response and nowhere else. */
public record IssuedToken(Secret accessToken, Duration lifetime, Set<Scope> scopes) {
}
