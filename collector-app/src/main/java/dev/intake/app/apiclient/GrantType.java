package dev.intake.app.apiclient;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a client gets tokens. There is no password grant: it hands an admin's password to another system, which the
 * OAuth 2.0 Security Best Current Practice (RFC 9700) forbids.
 */
public enum GrantType {
    /** Machine to machine: the client's own id and secret. */
    CLIENT_CREDENTIALS("client_credentials"),
    /**
     * An application acting for a signed-in Intake admin who consented, with PKCE and exact redirect URIs; it also
     * gets refresh tokens, rotated on every use.
     */
    AUTHORIZATION_CODE("authorization_code");

    private final String wireName;

    GrantType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<GrantType> of(String wireName) {
        return Arrays.stream(values()).filter(g -> g.wireName.equals(wireName)).findFirst();
    }

    /** @throws IllegalArgumentException naming the unknown grant */
    public static Set<GrantType> parseList(String list) {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        for (String name : list.strip().split("[\\s,]+")) {
            if (name.isEmpty()) {
                continue;
            }
            grants.add(of(name).orElseThrow(() -> new IllegalArgumentException("unknown grant '" + name
                    + "'; the grants are " + names(EnumSet.allOf(GrantType.class))
                    + (name.equals("password") ? " (there is no password grant: see the README)" : ""))));
        }
        return grants;
    }

    public static String names(Set<GrantType> grants) {
        return grants.stream().sorted().map(GrantType::wireName).collect(Collectors.joining(" "));
    }
}
