package dev.intake.provider.entra;

import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.IdentityProviderFactory;
import dev.intake.provider.ProviderContext;

/** Builds {@link EntraIdentityProvider}s for providers of type {@code entra}; found through ServiceLoader. */
public final class EntraIdentityProviderFactory implements IdentityProviderFactory {

    @Override
    public String type() {
        return EntraIdentityProvider.TYPE;
    }

    @Override
    public IdentityProvider create(ProviderConfig config, Secret clientSecret, ProviderContext context) {
        return new EntraIdentityProvider(config, clientSecret, context);
    }
}
