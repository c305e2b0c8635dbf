package dev.intake.app.oauth;

import dev.intake.config.IntakeConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.provider.AccessToken;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.IdentityProviders;
import dev.intake.provider.ProviderContext;
import dev.intake.provider.ProviderException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured providers, always built from the current configuration: a changed client secret (in
 * {@code collector.yaml} or a referenced secret file) is used from the next request on, without restart.
 *
 * <p>While an operator rotates a secret, {@code client-secret-next} is tried when the provider refuses the primary
 * one, and the registry remembers which secret works so the status page can say "promote client-secret-next".
 */
public final class ProviderRegistry {

    private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

    private final IdentityProviders factories;
    private final Supplier<IntakeConfig> config;
    private final Supplier<ProviderContext> context;
    private final Map<String, Built> built = new ConcurrentHashMap<>();
    private final Map<String, SecretInUse> inUse = new ConcurrentHashMap<>();

    public ProviderRegistry(IdentityProviders factories, Supplier<IntakeConfig> config, Supplier<ProviderContext> context) {
        this.factories = factories;
        this.config = config;
        this.context = context;
    }

    /** Which of a provider's secrets last worked. */
    public enum SecretInUse { PRIMARY, NEXT }

    public Optional<SecretInUse> secretInUse(String providerName) {
        return Optional.ofNullable(inUse.get(providerName));
    }

    /**
     * Runs {@code call} with the provider's primary secret and, if the provider rejects it and a
     * {@code client-secret-next} is configured, once more with that one.
     *
     * @throws UnknownProviderException when the configuration no longer has the provider
     */
    public <T> T call(String providerName, ProviderCall<T> call) throws ProviderException {
        Built b = current(providerName);
        try {
            T result = call.call(b.primary);
            remember(providerName, SecretInUse.PRIMARY);
            return result;
        } catch (ClientCredentialsRejectedException rejected) {
            if (b.next.isEmpty()) {
                throw rejected;
            }
            T result;
            try {
                result = call.call(b.next.get());
            } catch (ClientCredentialsRejectedException alsoRejected) {
                throw new ClientCredentialsRejectedException(alsoRejected.code().orElse(null),
                        "Both providers." + providerName + ".client-secret and client-secret-next were refused. "
                                + alsoRejected.getMessage());
            }
            remember(providerName, SecretInUse.NEXT);
            return result;
        }
    }

    /**
     * An app-only token for {@code mailbox}; {@code client-secret-next} is tried only when the client secret is what
     * the provider refused, never after a refused certificate or service account key (which no secret replaces).
     */
    public AccessToken appOnlyToken(String providerName, String mailbox) throws ProviderException {
        IdentityProvider primary = current(providerName).primary;
        if (!primary.appOnlyUsesClientSecret()) {
            return primary.appOnlyToken(mailbox);
        }
        return call(providerName, p -> p.appOnlyToken(mailbox));
    }

    /**
     * What the provider makes of an IMAP server's refusal to open {@code mailbox} after accepting its token (see
     * {@link IdentityProvider#explainImapRefusal}); empty when the provider knows nothing about it.
     */
    public Optional<String> explainImapRefusal(String providerName, String serverAnswer, String mailbox, boolean appOnly) {
        return current(providerName).primary.explainImapRefusal(serverAnswer, mailbox, appOnly);
    }

    /** What the admin must do outside Intake for app-only access (see {@link IdentityProvider#appOnlySetup}). */
    public List<String> appOnlySetup(String providerName, String mailbox) {
        return current(providerName).primary.appOnlySetup(mailbox);
    }

    private void remember(String providerName, SecretInUse which) {
        SecretInUse before = inUse.put(providerName, which);
        if (which == SecretInUse.NEXT && before != SecretInUse.NEXT) {
            log.warn("Provider '{}' refused providers.{}.client-secret; providers.{}.client-secret-next works. Promote it: "
                    + "set client-secret to the new value and remove client-secret-next.", providerName, providerName, providerName);
        } else if (which == SecretInUse.PRIMARY && before == SecretInUse.NEXT) {
            log.info("Provider '{}' accepts providers.{}.client-secret again", providerName, providerName);
        }
    }

    private Built current(String providerName) {
        ProviderConfig cfg = config.get().provider(providerName)
                .orElseThrow(() -> new UnknownProviderException(providerName));
        return built.compute(providerName, (name, existing) -> existing != null && existing.config.equals(cfg)
                ? existing
                : new Built(cfg,
                        factories.create(cfg, cfg.clientSecret(), context.get()),
                        cfg.clientSecretNext().map(next -> factories.create(cfg, next, context.get()))));
    }

    private record Built(ProviderConfig config, IdentityProvider primary, Optional<IdentityProvider> next) {
    }

    /** A mailbox names a provider the configuration does not (or no longer) define. */
    public static final class UnknownProviderException extends RuntimeException {
        public UnknownProviderException(String name) {
            super("provider '" + name + "' is not configured under providers");
        }
    }
}
