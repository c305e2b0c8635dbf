package dev.intake.app.apiclient;

import java.time.Instant;
import java.util.Set;

/** What introspection (RFC 7662) tells of an active token. */
public record TokenInfo(String clientId, String clientName, Set<Scope> scopes, Instant issuedAt, Instant expiresAt) {

    public TokenInfo {
        scopes = Set.copyOf(scopes);
    }
}
