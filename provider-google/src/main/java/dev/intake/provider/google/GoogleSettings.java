package dev.intake.provider.google;

import dev.intake.config.ProviderSettings;
import dev.intake.config.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/**
 * The keys of a Google provider besides those every provider has: its endpoints, which only tests and proxies change.
 *
 * @param authUri  {@code auth-uri}: where the admin's browser signs in
 * @param tokenUri {@code token-uri}: where codes are redeemed and tokens refreshed
 * @param serviceAccountKey {@code service-account-key}: the JSON key of a service account with domain-wide
 *                          delegation, for app-only access ({@code auth: app})
 */
public record GoogleSettings(URI authUri, URI tokenUri, Optional<Secret> serviceAccountKey) implements ProviderSettings {

    /** {@code auth-uri}'s default. */
    public static final URI DEFAULT_AUTH_URI = URI.create("https://accounts.google.com/o/oauth2/v2/auth");

    /** {@code token-uri}'s default. */
    public static final URI DEFAULT_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

    public GoogleSettings {
        Objects.requireNonNull(authUri, "authUri");
        Objects.requireNonNull(tokenUri, "tokenUri");
        Objects.requireNonNull(serviceAccountKey, "serviceAccountKey");
    }

    /** Without a service account: delegated access only. */
    public GoogleSettings(URI authUri, URI tokenUri) {
        this(authUri, tokenUri, Optional.empty());
    }

    @Override
    public List<Fact> summary() {
        List<Fact> facts = new ArrayList<>(List.of(new Fact("auth URI", authUri.toString()),
                new Fact("token URI", tokenUri.toString())));
        facts.addAll(registration());
        return facts;
    }

    /**
     * A Google OAuth client is found by its client ID alone; a service account by its address, and its client ID is
     * what a Workspace admin enters under Domain-wide delegation.
     */
    @Override
    public List<Fact> registration() {
        if (serviceAccountKey.isEmpty()) {
            return List.of();
        }
        try {
            ServiceAccount account = ServiceAccount.read(serviceAccountKey.get(), "service-account-key",
                    GoogleKind.NO_TRANSPORT);
            return List.of(new Fact("Service account", account.email()),
                    new Fact("Service account client ID", account.clientId()));
        } catch (IllegalArgumentException e) {
            return List.of(new Fact("Service account", "unreadable key"));
        }
    }
}
