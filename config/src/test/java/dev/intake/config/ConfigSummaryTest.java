package dev.intake.config;

import static dev.intake.config.ConfigTestBed.key32;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSummaryTest {

    @TempDir
    Path dir;

    @Test
    void describesWhatIsConfiguredWithoutAnySecretValue() throws Exception {
        ConfigTestBed fx = new ConfigTestBed(dir);
        fx.env.put("DB_PASSWORD", "db-pass-value");
        String yaml = """
                database:
                  url: jdbc:postgresql://db.internal/intake?user=intake&password=${env:DB_PASSWORD}
                  password: ${env:DB_PASSWORD}
                encryption:
                  active-key: k2
                  keys:
                    k1: %s
                    k2: %s
                providers:
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: 11111111-2222
                    client-secret: entra-secret-value
                    client-secret-next: entra-next-value
                    client-secret-expires: 2027-01-31
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                    delegate: alice@contoso.com
                    accepted-folder: Done
                    poll-every: 90s
                admins:
                  - username: alice
                    password-hash: "$2b$12$%s"
                """.formatted(key32(1), key32(2), "x".repeat(53));

        String summary = ConfigSummary.describe(fx.load(yaml));

        assertThat(summary)
                .contains("database: jdbc:postgresql://db.internal/intake?user=intake&password=******")
                .contains("password set")
                .contains("encryption: active key k2; keys: k1, k2")
                .contains("entra: type entra, client id 11111111-2222, client secret set, next client secret set,"
                        + " secret expires 2027-01-31, tenant contoso.onmicrosoft.com")
                .contains("support: provider entra, address support@contoso.com (signed in as alice@contoso.com)")
                .contains("poll every 90s, post-action move")
                .contains("admins: alice");
        assertThat(summary).doesNotContain("db-pass-value", "entra-secret-value", "entra-next-value",
                key32(1), key32(2), "xxxxxxxx");
    }

    @Test
    void describesTheDefaults() {
        String summary = ConfigSummary.describe(new ConfigLoader(name -> null).defaults().config());

        assertThat(summary)
                .contains("server: listening on 127.0.0.1:8080")
                .contains("redirect URI http://localhost:8080/oauth/callback")
                .contains("encryption: local key file ./data/intake.key")
                .contains("tls: the JDK's default trust")
                .contains("providers: none")
                .contains("mailboxes: none");
    }
}
