package dev.intake.app.apiclient;

import java.util.Set;

/** What an admin chooses for a new client (or what collector.yaml declares). */
public record ClientSpec(String name, String comment, Set<GrantType> grants, Set<Scope> scopes, IpRanges allowedIps,
        boolean active) {

    public ClientSpec {
        name = name == null ? "" : name.strip();
        comment = comment == null ? "" : comment.strip();
        grants = Set.copyOf(grants);
        scopes = Set.copyOf(scopes);
    }

    /** @throws IllegalArgumentException with what to change */
    void check() {
        if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("give the client a name of 1 to 200 characters (e.g. the system it is)");
        }
        if (grants.isEmpty()) {
            throw new IllegalArgumentException("choose at least one grant: " + GrantType.names(Set.of(GrantType.values())));
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("choose at least one scope: " + Scope.names(Set.of(Scope.values())));
        }
    }
}
