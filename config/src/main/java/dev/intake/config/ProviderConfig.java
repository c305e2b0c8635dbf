package dev.intake.config;

import java.time.LocalDate;
import java.util.Optional;

/**
 * One configured identity provider ({@code providers.NAME}): what every provider has, and the settings its own
 * module reads ({@link ProviderKind}). The name is what mailboxes refer to; the type defaults to the name, so
 * {@code providers.entra} is an Entra provider.
 *
 * @param type         the {@link ProviderKind#type()} of the module that reads and speaks this provider
 * @param imapHost     overrides the provider's IMAP host (sovereign clouds, tests)
 * @param imapPort     overrides the provider's IMAP port
 * @param auth         {@code auth}: how this provider's mailboxes are opened unless a mailbox says otherwise
 * @param clientSecret empty when not written, which only a provider with {@code auth: app} may leave out
 * @param settings     the keys of this provider's kind, e.g. Entra's tenant
 */
public record ProviderConfig(
        String name,
        String type,
        String clientId,
        AuthMode auth,
        Secret clientSecret,
        Optional<Secret> clientSecretNext,
        Optional<LocalDate> clientSecretExpires,
        Optional<String> imapHost,
        Optional<Integer> imapPort,
        ImapSecurity imapSecurity,
        ProviderSettings settings) {

    /** The config key path of this provider's client secret, for messages that tell the operator what to fix. */
    public String clientSecretKey() {
        return "providers." + name + ".client-secret";
    }

    /**
     * The settings as the provider module's own type, which is what its {@link ProviderKind} read.
     *
     * @throws IllegalArgumentException when this provider is of another kind (a mix-up in the app, not in the file)
     */
    public <S extends ProviderSettings> S settings(Class<S> kind) {
        if (!kind.isInstance(settings)) {
            throw new IllegalArgumentException("providers." + name + " is of type " + type + ", whose settings are "
                    + settings.getClass().getSimpleName() + ", not " + kind.getSimpleName());
        }
        return kind.cast(settings);
    }
}
