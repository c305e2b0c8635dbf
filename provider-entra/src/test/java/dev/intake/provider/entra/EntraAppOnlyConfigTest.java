package dev.intake.provider.entra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.config.AuthMode;
import dev.intake.config.ConfigProblem;
import dev.intake.config.ConfigSummary;
import dev.intake.config.IntakeConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.testing.TestClientCertificate;
import dev.intake.testing.provider.ProviderConfigTestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auth: app}, {@code client-certificate} and {@code client-certificate-key} as collector.yaml gives them. */
class EntraAppOnlyConfigTest {

    private static final TestClientCertificate CERTIFICATE = TestClientCertificate.generate("intake");
    private static final TestClientCertificate OTHER = TestClientCertificate.generate("other");

    @TempDir
    Path dir;

    private ProviderConfigTestBed bed() {
        return new ProviderConfigTestBed(dir);
    }

    private void file(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void anAppOnlyProviderWithACertificateNeedsNoClientSecret() throws Exception {
        file("cert.pem", CERTIFICATE.certificatePem());
        file("key.pem", CERTIFICATE.privateKeyPem());
        IntakeConfig config = bed().load("""
                providers:
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: e
                    auth: app
                    client-certificate: ${file:cert.pem}
                    client-certificate-key: ${file:key.pem}
                mailboxes:
                  - id: billing
                    provider: entra
                    address: billing@contoso.com
                """);

        ProviderConfig entra = config.provider("entra").orElseThrow();
        assertThat(entra.auth()).isEqualTo(AuthMode.APP);
        assertThat(entra.clientSecret().isEmpty()).isTrue();
        assertThat(config.mailbox("billing").orElseThrow().appOnly()).as("the provider's auth by default").isTrue();
        String summary = ConfigSummary.describe(config);
        assertThat(summary).contains("app-only access, no client secret").contains("client certificate thumbprint ")
                .contains("billing: provider entra, address billing@contoso.com (app-only)")
                .doesNotContain(CERTIFICATE.privateKeyPem().split("\n")[1]);
        assertThat(entra.settings().registration()).extracting(f -> f.label()).containsExactly("Tenant", "Certificate");
    }

    @Test
    void certificateProblemsNameTheKeyAndNeverTheKeyMaterial() throws Exception {
        file("cert.pem", CERTIFICATE.certificatePem());
        file("other-key.pem", OTHER.privateKeyPem());
        file("pkcs1.pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        List<ConfigProblem> problems = bed().problems("""
                providers:
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: e
                    auth: app
                    client-certificate: ${file:cert.pem}
                    client-certificate-key: ${file:other-key.pem}
                  second:
                    type: entra
                    tenant: contoso.onmicrosoft.com
                    client-id: e
                    auth: app
                    client-certificate: ${file:cert.pem}
                    client-certificate-key: ${file:pkcs1.pem}
                  third:
                    type: entra
                    tenant: contoso.onmicrosoft.com
                    client-id: e
                    auth: app
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("providers.entra.client-certificate")
                .contains("is not the private key of the certificate"));
        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("providers.second.client-certificate-key")
                .contains("PKCS#1").contains("openssl pkcs8 -topk8 -nocrypt"));
        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("providers.third.client-certificate")
                .contains("app-only access proves itself with a certificate (preferred) or the client secret"));
        assertThat(problems.toString()).doesNotContain(OTHER.privateKeyPem().split("\n")[1]);
    }

    @Test
    void aDelegatedMailboxUnderAProviderWithoutClientSecretIsRefused() throws Exception {
        file("both.pem", CERTIFICATE.combinedPem());
        List<ConfigProblem> problems = bed().problems("""
                providers:
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: e
                    auth: app
                    client-certificate: ${file:both.pem}
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                    auth: delegated
                  - id: shared
                    provider: entra
                    address: shared@contoso.com
                    delegate: alice@contoso.com
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("mailboxes[0].auth")
                .contains("needs providers.entra.client-secret"));
        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("mailboxes[1].delegate")
                .contains("no delegate signs in"));
    }
}
