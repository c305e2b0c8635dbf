package dev.intake.provider;

import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** The provider factories on the class path, by type. */
public final class IdentityProviders {

    private final Map<String, IdentityProviderFactory> factories = new HashMap<>();

    private IdentityProviders() {
        for (IdentityProviderFactory f : ServiceLoader.load(IdentityProviderFactory.class)) {
            factories.put(f.type(), f);
        }
    }

    public static IdentityProviders discover() {
        return new IdentityProviders();
    }

    /** @throws IllegalStateException when no module for the type is on the class path (a packaging mistake) */
    public IdentityProvider create(ProviderConfig config, Secret clientSecret, ProviderContext context) {
        IdentityProviderFactory f = factories.get(config.type());
        if (f == null) {
            throw new IllegalStateException("No provider module for type '" + config.type()
                    + "' is on the class path (found: " + factories.keySet() + "); the build is incomplete");
        }
        return f.create(config, clientSecret, context);
    }
}
