package dev.intake.provider.entra;

import dev.intake.config.ProviderSettings;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The keys of an Entra provider besides those every provider has.
 *
 * @param tenant    {@code tenant}: the tenant ID or domain of the app registration
 * @param authority {@code authority}: the authority base, https and ending in {@code /}; the tenant is appended
 */
public record EntraSettings(String tenant, URI authority) implements ProviderSettings {

    /** {@code authority}'s default: Microsoft's global cloud. */
    public static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com/");

    public EntraSettings {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(authority, "authority");
    }

    @Override
    public List<Fact> summary() {
        return List.of(new Fact("tenant", tenant), new Fact("authority", authority.toString()));
    }

    @Override
    public List<Fact> registration() {
        return List.of(new Fact("Tenant", tenant));
    }
}
