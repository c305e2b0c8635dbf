package dev.intake.provider;

import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;

/**
 * Found through {@link java.util.ServiceLoader}: each provider module registers one in
 * {@code META-INF/services/dev.intake.provider.IdentityProviderFactory}.
 */
public interface IdentityProviderFactory {

    /** The {@code type} this factory builds providers for, e.g. {@code entra}. */
    String type();

    /**
     * @param clientSecret the secret to use, which is the configured {@code client-secret} or, while the operator
     *                     rotates, {@code client-secret-next}: the caller chooses
     */
    IdentityProvider create(ProviderConfig config, Secret clientSecret, ProviderContext context);
}
