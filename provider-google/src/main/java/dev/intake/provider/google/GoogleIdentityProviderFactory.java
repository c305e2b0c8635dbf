package dev.intake.provider.google;

import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.IdentityProviderFactory;
import dev.intake.provider.ProviderContext;

/** Builds {@link GoogleIdentityProvider}s for providers of type {@code google}; found through ServiceLoader. */
public final class GoogleIdentityProviderFactory implements IdentityProviderFactory {

    @Override
    public String type() {
        return GoogleIdentityProvider.TYPE;
    }

    @Override
    public IdentityProvider create(ProviderConfig config, Secret clientSecret, ProviderContext context) {
        return new GoogleIdentityProvider(config, clientSecret, context);
    }
}
