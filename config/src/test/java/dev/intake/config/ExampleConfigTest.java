package dev.intake.config;

import static dev.intake.config.ConfigTestBed.key32;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped {@code collector.example.yaml} is valid once the secrets it references exist. */
class ExampleConfigTest {

    /** Surefire runs in the module directory; the example lives at the repository root. */
    private static final Path EXAMPLE = Path.of("..", "collector.example.yaml");

    private static final List<List<String>> ALL_KEYS = List.of(
            IntakeConfigReader.TOP_KEYS, IntakeConfigReader.SERVER_KEYS, IntakeConfigReader.DATABASE_KEYS,
            EncryptionReader.KEYS, TlsReader.KEYS, ProvidersReader.KEYS, MailboxesReader.KEYS,
            IntakeConfigReader.TICKETS_KEYS, IntakeConfigReader.OPERATIONS_KEYS, AdminsReader.KEYS, ApiReader.KEYS,
            ApiReader.CLIENT_KEYS, DeliveryReader.KEYS, DeliveryReader.COMMON_KEYS,
            DeliveryReader.TYPE_KEYS.get("glpi"), DeliveryReader.TYPE_KEYS.get("glpi-legacy"),
            DeliveryReader.TYPE_KEYS.get("webhook"));

    @TempDir
    Path dir;

    @Test
    void exampleValidatesWithItsReferencedSecretsProvided() throws Exception {
        ConfigTestBed fx = new ConfigTestBed(dir);
        Path config = fx.write("collector.yaml", Files.readString(EXAMPLE));
        fx.env.put("ENTRA_CLIENT_SECRET", "entra-secret");
        fx.write("secrets/intake-key-k1", key32(1) + "\n");
        fx.write("secrets/google-client-secret", "google-secret\n");
        fx.write("secrets/truststore-password", TestTrustStores.PASSWORD + "\n");
        fx.write("secrets/glpi-client-secret", "glpi-client-secret-of-at-least-32-characters\n");
        fx.write("secrets/admin-alice.bcrypt", "$2y$12$" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0" + "\n");
        TestTrustStores.create(dir.resolve("secrets/truststore.p12"), "private-ca");

        LoadedConfig loaded = fx.loader.load(config);

        IntakeConfig c = loaded.config();
        assertThat(c.server().publicUrl()).isEqualTo(URI.create("https://intake.example.com"));
        assertThat(c.database().password()).as("empty default").isEmpty();
        assertThat(c.encryption().activeKey()).contains("k1");
        assertThat(c.encryption().keys().get("k1").reveal()).isEqualTo(key32(1));
        assertThat(c.tls().truststore()).contains(dir.resolve("secrets/truststore.p12"));
        assertThat(c.providers().keySet()).containsExactly("entra", "google");
        assertThat(c.provider("entra").orElseThrow().clientSecret().reveal()).isEqualTo("entra-secret");
        assertThat(c.provider("entra").orElseThrow().clientSecretNext()).isEmpty();
        assertThat(c.provider("entra").orElseThrow().clientSecretExpires()).contains(LocalDate.of(2027, 1, 31));
        assertThat(c.provider("google").orElseThrow().clientSecret().reveal()).isEqualTo("google-secret");
        MailboxConfig support = c.mailbox("support").orElseThrow();
        assertThat(support.signInAccount()).isEqualTo("alice@contoso.com");
        assertThat(support.postAction()).isEqualTo(PostAction.MOVE);
        assertThat(support.blockedSenders()).containsExactly("*@spam.example", "noreply@*", "mailer-daemon@contoso.com");
        MailboxConfig sales = c.mailbox("sales").orElseThrow();
        assertThat(sales.postAction()).isEqualTo(PostAction.SEEN);
        assertThat(sales.initialSync()).isEqualTo(new InitialSync.OnlyNew());
        assertThat(sales.pollEvery()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.tickets().tag()).isEqualTo("[#{number}]");
        assertThat(c.admins()).extracting(AdminAccount::username).containsExactly("alice");
        assertThat(c.api().tokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(c.api().trustedProxies()).containsExactly("10.0.0.5");
        assertThat(c.api().clients()).singleElement().satisfies(client -> {
            assertThat(client.clientId()).isEqualTo("glpi-helpdesk");
            assertThat(client.secret().reveal()).isEqualTo("glpi-client-secret-of-at-least-32-characters");
            assertThat(client.scopes()).containsExactly("tickets:read", "tickets:write");
        });
        assertThat(loaded.sources()).hasSize(7);
    }

    /** The delivery section is shipped commented out (no helpdesk to send to); once uncommented it is valid. */
    @Test
    void exampleDeliverySectionValidatesOnceUncommented() throws Exception {
        String example = Files.readString(EXAMPLE);
        StringBuilder uncommented = new StringBuilder();
        boolean inDelivery = false;
        for (String line : example.split("\n", -1)) {
            inDelivery |= line.equals("# delivery:");
            if (inDelivery && line.startsWith("# ")) {
                uncommented.append(line.substring(2)).append('\n');
            } else {
                inDelivery = false;
                uncommented.append(line.replace("# deliver-to:", "deliver-to:")).append('\n');
            }
        }
        ConfigTestBed fx = new ConfigTestBed(dir);
        Path config = fx.write("collector.yaml", uncommented.toString());
        fx.env.put("ENTRA_CLIENT_SECRET", "entra-secret");
        fx.write("secrets/intake-key-k1", key32(1) + "\n");
        fx.write("secrets/google-client-secret", "google-secret\n");
        fx.write("secrets/truststore-password", TestTrustStores.PASSWORD + "\n");
        fx.write("secrets/glpi-client-secret", "glpi-client-secret-of-at-least-32-characters\n");
        fx.write("secrets/admin-alice.bcrypt", "$2y$12$" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0" + "\n");
        fx.write("secrets/glpi-oauth-secret", "oauth-secret\n");
        fx.write("secrets/glpi-password", "glpi-password\n");
        fx.write("secrets/glpi-app-token", "app-token\n");
        fx.write("secrets/glpi-user-token", "user-token\n");
        fx.write("secrets/webhook-secret", DeliveryConfigTest.WEBHOOK_KEY + "\n");
        TestTrustStores.create(dir.resolve("secrets/truststore.p12"), "private-ca");

        IntakeConfig c = fx.loader.load(config).config();

        assertThat(c.delivery().targets()).extracting(DeliveryTargetConfig::name)
                .containsExactly("helpdesk", "old-glpi", "chat-hook");
        assertThat(c.mailbox("support").orElseThrow().deliverTo()).contains(List.of("helpdesk"));
    }

    @Test
    void exampleWritesEveryKeyThatTheLoaderKnows() throws Exception {
        String example = Files.readString(EXAMPLE);
        for (List<String> keys : ALL_KEYS) {
            for (String key : keys) {
                Matcher written = Pattern.compile("(?m)^[ #-]*" + Pattern.quote(key) + ":").matcher(example);
                assertThat(written.find()).as("collector.example.yaml shows '%s'", key).isTrue();
            }
        }
    }

    @Test
    void readmeDocumentsEveryKeyThatTheLoaderKnows() throws Exception {
        String reference = Files.readString(Path.of("../README.md"));
        for (List<String> keys : ALL_KEYS) {
            for (String key : keys) {
                Matcher documented = Pattern.compile("[`.]" + Pattern.quote(key) + "`").matcher(reference);
                assertThat(documented.find()).as("README.md documents '%s'", key).isTrue();
            }
        }
    }
}
