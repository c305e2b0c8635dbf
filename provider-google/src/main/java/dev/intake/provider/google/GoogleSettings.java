package dev.intake.provider.google;

import dev.intake.config.ProviderSettings;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The keys of a Google provider besides those every provider has: its endpoints, which only tests and proxies change.
 *
 * @param authUri  {@code auth-uri}: where the admin's browser signs in
 * @param tokenUri {@code token-uri}: where codes are redeemed and tokens refreshed
 */
public record GoogleSettings(URI authUri, URI tokenUri) implements ProviderSettings {

    /** {@code auth-uri}'s default. */
    public static final URI DEFAULT_AUTH_URI = URI.create("https://accounts.google.com/o/oauth2/v2/auth");

    /** {@code token-uri}'s default. */
    public static final URI DEFAULT_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

    public GoogleSettings {
        Objects.requireNonNull(authUri, "authUri");
        Objects.requireNonNull(tokenUri, "tokenUri");
    }

    @Override
    public List<Fact> summary() {
        return List.of(new Fact("auth URI", authUri.toString()), new Fact("token URI", tokenUri.toString()));
    }

    /** A Google OAuth client is found by its client ID alone. */
    @Override
    public List<Fact> registration() {
        return List.of();
    }
}
