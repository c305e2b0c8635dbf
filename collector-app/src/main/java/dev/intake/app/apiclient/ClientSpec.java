package dev.intake.app.apiclient;

import java.util.List;
import java.util.Set;

/** What an admin chooses for a new client (or what collector.yaml declares). */
public record ClientSpec(String name, String comment, Set<GrantType> grants, Set<Scope> scopes, IpRanges allowedIps,
        List<String> redirectUris, boolean active) {

    public ClientSpec {
        name = name == null ? "" : name.strip();
        comment = comment == null ? "" : comment.strip();
        grants = Set.copyOf(grants);
        scopes = Set.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
    }

    /** A machine-to-machine client (client credentials only). */
    public ClientSpec(String name, String comment, Set<GrantType> grants, Set<Scope> scopes, IpRanges allowedIps,
            boolean active) {
        this(name, comment, grants, scopes, allowedIps, List.of(), active);
    }

    /**
     * Redirect URIs are compared exactly, so they are written out in full: https (or http on this machine), no
     * fragment, no wildcard.
     *
     * @throws IllegalArgumentException naming the URI that is not usable
     */
    public static List<String> parseRedirectUris(String list) {
        List<String> uris = new java.util.ArrayList<>();
        for (String u : list == null ? new String[0] : list.strip().split("[\\s,]+")) {
            if (u.isEmpty()) {
                continue;
            }
            dev.intake.config.RedirectUris.problem(u).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            uris.add(u);
        }
        return uris;
    }

    /** @throws IllegalArgumentException with what to change */
    void check() {
        if (name.isEmpty() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("give the client a name of 1 to 200 characters (e.g. the system it is)");
        }
        if (grants.isEmpty()) {
            throw new IllegalArgumentException("choose at least one grant: " + GrantType.names(Set.of(GrantType.values())));
        }
        if (grants.contains(GrantType.AUTHORIZATION_CODE) && redirectUris.isEmpty()) {
            throw new IllegalArgumentException("the authorization_code grant needs at least one redirect URI, exactly as "
                    + "the application sends it");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("choose at least one scope: " + Scope.names(Set.of(Scope.values())));
        }
    }
}
