package dev.intake.app.apiclient;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A registered client as pages, commands and the API show it: never with its secret, which is not kept.
 *
 * @param fromConfig declared in collector.yaml: changed there, not from the page or the command line
 */
public record ApiClient(String clientId, String name, String comment, Set<GrantType> grants, Set<Scope> scopes,
        IpRanges allowedIps, List<String> redirectUris, boolean active, boolean fromConfig, Instant createdAt,
        Instant secretSetAt, Optional<Instant> lastUsedAt, Optional<String> lastUsedIp) {

    public ApiClient {
        grants = Set.copyOf(grants);
        scopes = Set.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
    }
}
