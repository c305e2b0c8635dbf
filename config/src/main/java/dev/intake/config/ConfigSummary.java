package dev.intake.config;

import java.util.stream.Collectors;

/**
 * A plain-text overview of a configuration, for {@code intake config check} and support requests. Secrets appear
 * only as "set"; the database URL is shown without a password; encryption keys by id only.
 */
public final class ConfigSummary {

    private ConfigSummary() {
    }

    public static String describe(IntakeConfig c) {
        StringBuilder out = new StringBuilder();
        ServerConfig server = c.server();
        line(out, 0, "server: listening on " + server.bind() + ":" + server.port() + ", public URL " + server.publicUrl()
                + ", redirect URI " + server.redirectUri());

        DatabaseConfig db = c.database();
        line(out, 0, "database: " + JdbcUrls.withoutPassword(db.url())
                + db.user().map(u -> ", user " + u).orElse("")
                + (db.password().isPresent() ? ", password set" : "")
                + ", pool " + db.poolSize());

        EncryptionConfig enc = c.encryption();
        if (enc.isConfigured()) {
            line(out, 0, "encryption: active key " + enc.activeKey().orElseThrow() + "; keys: "
                    + String.join(", ", enc.keys().keySet()));
        } else {
            line(out, 0, "encryption: local key file " + enc.localKeyFile());
        }

        line(out, 0, "tls: " + c.tls().truststore().map(p -> "trust store " + p
                + (c.tls().truststorePassword().isPresent() ? " (password set)" : "")).orElse("the JDK's default trust"));

        line(out, 0, "providers: " + (c.providers().isEmpty() ? "none" : ""));
        for (ProviderConfig p : c.providers().values()) {
            StringBuilder d = new StringBuilder(p.name() + ": type " + p.type() + ", client id " + p.clientId()
                    + (p.auth() == AuthMode.APP ? ", app-only access" : "")
                    + (p.clientSecret().isEmpty() ? ", no client secret" : ", client secret set"));
            p.clientSecretNext().ifPresent(s -> d.append(", next client secret set"));
            p.clientSecretExpires().ifPresent(e -> d.append(", secret expires ").append(e));
            p.settings().summary().forEach(f -> d.append(", ").append(f.label()).append(' ').append(f.value()));
            if (p.imapHost().isPresent() || p.imapPort().isPresent()) {
                d.append(", IMAP ").append(p.imapHost().orElse("(provider's host)"))
                        .append(p.imapPort().map(port -> ":" + port).orElse(""));
            }
            d.append(", IMAP security ").append(p.imapSecurity().name().toLowerCase(java.util.Locale.ROOT));
            line(out, 1, d.toString());
        }

        line(out, 0, "mailboxes: " + (c.mailboxes().isEmpty() ? "none" : ""));
        for (MailboxConfig m : c.mailboxes()) {
            line(out, 1, m.id() + ": provider " + m.provider() + ", address " + m.address()
                    + m.delegate().map(d -> " (signed in as " + d + ")").orElse("")
                    + (m.appOnly() ? " (app-only)" : "")
                    + ", folder " + m.folder()
                    + ", poll every " + Durations.format(m.pollEvery())
                    + ", post-action " + m.postAction().name().toLowerCase(java.util.Locale.ROOT)
                    + m.acceptedFolder().map(f -> " (accepted to " + f + ")").orElse("")
                    + (m.paused() ? ", PAUSED" : "")
                    + m.deliverTo().map(names -> names.isEmpty() ? ", delivers to no target"
                            : ", delivers to " + String.join(", ", names)).orElse(""));
        }

        DeliverySummary.describe(c.delivery()).forEach(l -> line(out, l.indent(), l.text()));

        line(out, 0, "tickets: tag " + c.tickets().tag());
        OperationsConfig ops = c.operations();
        line(out, 0, "operations: stale after " + Durations.format(ops.staleAfter())
                + ", " + ops.schedulerThreads() + " scheduler threads"
                + ", reload check every " + Durations.format(ops.reloadCheckEvery())
                + ", shutdown grace " + Durations.format(ops.shutdownGrace())
                + ", reconcile window " + Durations.format(ops.reconcileWindow())
                + ", run history kept " + Durations.format(ops.historyRetention()));
        line(out, 0, "admins: " + (c.admins().isEmpty() ? "none"
                : c.admins().stream().map(AdminAccount::username).collect(Collectors.joining(", "))));
        line(out, 0, "api: tokens last " + Durations.format(c.api().tokenLifetime())
                + ", trusted proxies " + (c.api().trustedProxies().isEmpty() ? "none" : String.join(" ", c.api().trustedProxies()))
                + ", clients declared here " + (c.api().clients().isEmpty() ? "none"
                        : c.api().clients().stream().map(ApiClientConfig::clientId).collect(Collectors.joining(", "))));
        return out.toString();
    }

    private static void line(StringBuilder out, int indent, String text) {
        out.append("  ".repeat(indent)).append(text.stripTrailing()).append('\n');
    }
}
