package dev.intake.app.oauth;

import dev.intake.provider.IdentityProvider;
import dev.intake.provider.ProviderException;

/** One request to a provider, retried by {@link ProviderRegistry} with the next client secret when needed. */
@FunctionalInterface
public interface ProviderCall<T> {
    T call(IdentityProvider provider) throws ProviderException;
}
