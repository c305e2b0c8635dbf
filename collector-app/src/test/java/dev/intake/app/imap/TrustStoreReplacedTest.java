package dev.intake.app.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.ConfigLoader;
import dev.intake.config.IntakeConfig;
import dev.intake.testing.FakeGlpiHl;
import dev.intake.testing.TestCertificates;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator replaces the trust store's file (the private CA of a helpdesk that moved), leaving the configuration
 * file as it is: the reload sees the new content, and connections made from then on trust the new CA.
 */
class TrustStoreReplacedTest {

    @TempDir
    Path dir;

    @Test
    void aTrustStoreReplacedInPlaceIsTrustedFromTheNextConnection() throws Exception {
        Path store = dir.resolve("truststore.p12");
        Files.copy(OtherHostCertificate.get().clientTls().truststore().orElseThrow(), store);
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, "tls:\n  truststore: truststore.p12\n  truststore-password: " + TestCertificates.PASSWORD
                + "\n");
        ConfigLoader loader = new ConfigLoader(name -> null);
        AtomicReference<IntakeConfig> config = new AtomicReference<>(loader.load(file).config());
        TrustedConnections trust = new TrustedConnections(() -> config.get().tls());

        try (FakeGlpiHl helpdesk = FakeGlpiHl.start(Clock.systemUTC())) {
            assertThatThrownBy(() -> get(trust, helpdesk)).as("its CA is not in the store yet")
                    .isInstanceOf(SSLHandshakeException.class);

            Files.copy(TestCertificates.get().truststore(), store, StandardCopyOption.REPLACE_EXISTING);
            IntakeConfig reloaded = loader.load(file).config();
            assertThat(reloaded.tls()).as("the same path, other content: a change").isNotEqualTo(config.get().tls());
            config.set(reloaded);

            assertThat(get(trust, helpdesk)).as("any answer: the TLS handshake went through").isPositive();
            assertThat(loader.load(file).config().tls()).as("unchanged content: no change").isEqualTo(reloaded.tls());
        }
    }

    private static int get(TrustedConnections trust, FakeGlpiHl helpdesk) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trust.sslContext()).build();
        return client.send(HttpRequest.newBuilder(helpdesk.url().resolve("/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
