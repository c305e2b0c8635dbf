package dev.intake.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable snapshot of {@code collector.yaml}, validated and with every secret reference
 * resolved. A reload publishes a new snapshot; nobody ever sees a half-applied change.
 */
public record IntakeConfig(
        ServerConfig server,
        DatabaseConfig database,
        EncryptionConfig encryption,
        TlsConfig tls,
        Map<String, ProviderConfig> providers,
        List<MailboxConfig> mailboxes,
        TicketsConfig tickets,
        OperationsConfig operations,
        List<AdminAccount> admins,
        ApiConfig api,
        DeliveryConfig delivery) {

    public IntakeConfig {
        // Kept in the order written: summaries and the admin UI list providers as the operator ordered them.
        providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        mailboxes = List.copyOf(mailboxes);
        admins = List.copyOf(admins);
    }

    public Optional<MailboxConfig> mailbox(String id) {
        return mailboxes.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public Optional<ProviderConfig> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }
}
