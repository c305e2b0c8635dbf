package dev.intake.config;

import java.net.URI;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One configured identity provider ({@code providers.NAME}). The name is what mailboxes refer to;
 * the type defaults to the name, so {@code providers.entra} is an Entra provider.
 *
 * @param tenant       Entra only: tenant id or domain
 * @param authority    Entra only: authority base, default {@code https://login.microsoftonline.com/}
 * @param authUri      Google only: authorization endpoint
 * @param tokenUri     Google only: token endpoint
 * @param imapHost     overrides the provider's IMAP host (sovereign clouds, tests)
 * @param imapPort     overrides the provider's IMAP port
 */
public record ProviderConfig(
        String name,
        ProviderType type,
        String clientId,
        Secret clientSecret,
        Optional<Secret> clientSecretNext,
        Optional<LocalDate> clientSecretExpires,
        Optional<String> tenant,
        Optional<URI> authority,
        Optional<URI> authUri,
        Optional<URI> tokenUri,
        Optional<String> imapHost,
        Optional<Integer> imapPort,
        ImapSecurity imapSecurity) {

    /** The config key path of this provider's client secret, for messages that tell the operator what to fix. */
    public String clientSecretKey() {
        return "providers." + name + ".client-secret";
    }
}
