package dev.intake.app.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.Secret;
import dev.intake.config.TlsConfig;
import dev.intake.testing.TestCertificates;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTrustTest {

    @Test
    void aConfiguredTruststoreAddsToTheJdkAuthoritiesInsteadOfReplacingThem() throws Exception {
        TlsTrust jdk = TlsTrust.systemDefault();
        TlsTrust withPrivateCa = TlsTrust.from(TestImapsSetup.clientTls());
        KeyStore store = KeyStore.getInstance(TestCertificates.get().truststore().toFile(),
                TestCertificates.PASSWORD.toCharArray());
        X509Certificate testCa = (X509Certificate) store.getCertificate(store.aliases().nextElement());

        assertThat(jdk.acceptedIssuers()).isNotEmpty().doesNotContain(testCa);
        assertThat(withPrivateCa.acceptedIssuers()).containsAll(jdk.acceptedIssuers()).contains(testCa);
        assertThat(withPrivateCa.truststore()).contains(TestCertificates.get().truststore());
    }

    @Test
    void aMissingTruststoreFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.p12");

        assertThatThrownBy(() -> TlsTrust.from(new TlsConfig(Optional.of(missing), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tls.truststore")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aWrongPasswordIsReportedWithoutRevealingIt() {
        Secret wrong = Secret.of("not-the-password");
        TlsConfig config = new TlsConfig(Optional.of(TestCertificates.get().truststore()), Optional.of(wrong));

        assertThatThrownBy(() -> TlsTrust.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tls.truststore-password")
                .message().doesNotContain(wrong.reveal());
    }

    @Test
    void aFileThatIsNoKeyStoreIsReported(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nnot really\n");

        assertThatThrownBy(() -> TlsTrust.from(new TlsConfig(Optional.of(pem), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("as PKCS12 or JKS");
    }

    @Test
    void aTruststoreWithoutCertificatesIsReported(@TempDir Path dir) throws Exception {
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        Path file = dir.resolve("empty.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            empty.store(out, "pw".toCharArray());
        }

        assertThatThrownBy(() -> TlsTrust.from(new TlsConfig(Optional.of(file), Optional.of(Secret.of("pw")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no readable certificate");
    }
}
