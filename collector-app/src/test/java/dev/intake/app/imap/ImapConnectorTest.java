package dev.intake.app.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.intake.config.ImapSecurity;
import dev.intake.config.Secret;
import dev.intake.config.TlsConfig;
import dev.intake.testing.TestCertificates;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Connecting to GreenMail over IMAPS with XOAUTH2, and the ways that fails. */
class ImapConnectorTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(TestImapsSetup.setup());

    private static final ImapConnector connector = new ImapConnector(TlsTrust.from(TestImapsSetup.clientTls()));
    private TestMailbox mailbox;

    @BeforeEach
    void user() {
        mailbox = new TestMailbox(greenMail);
    }

    @Test
    void authenticatesWithXoauth2AndNeverWithLogin() throws Exception {
        try (GreenMailTrace trace = GreenMailTrace.install()) {
            try (ImapSession session = connector.open(mailbox.target(), TestMailbox.TOKEN);
                 ImapFolder inbox = session.openFolder("INBOX")) {
                assertThat(inbox.uidValidity()).isPositive();
            }

            assertThat(trace.clientLines()).anySatisfy(line -> assertThat(line).contains("AUTHENTICATE XOAUTH2"));
            assertThat(trace.clientLines()).noneSatisfy(line -> assertThat(line).containsIgnoringCase(" LOGIN "));
            String initialResponse = trace.clientLines().stream()
                    .filter(l -> l.contains("AUTHENTICATE XOAUTH2 "))
                    .findFirst().orElseThrow()
                    .replaceFirst(".*AUTHENTICATE XOAUTH2 ", "");
            assertThat(new String(Base64.getDecoder().decode(initialResponse), StandardCharsets.UTF_8))
                    .isEqualTo("user=" + TestMailbox.USER + "\001auth=Bearer " + TestMailbox.TOKEN.reveal() + "\001\001");
        }
    }

    @Test
    void aRefusedTokenIsAnAuthenticationFailureThatDoesNotShowTheToken() {
        Secret wrong = Secret.of("ya29.expired-token-that-must-not-leak");

        assertThatThrownBy(() -> connector.open(mailbox.target(), wrong))
                .isInstanceOf(ImapAuthenticationException.class)
                .hasMessageContaining(TestMailbox.USER)
                .hasMessageContaining("fresh token")
                .satisfies(e -> assertNoSecretIn(e, wrong));
    }

    @Test
    void anUntrustedCertificateFailsAndPointsToTheTruststore() {
        ImapConnector jdkTrustOnly = new ImapConnector(TlsTrust.systemDefault());

        assertThatThrownBy(() -> jdkTrustOnly.open(mailbox.target(), TestMailbox.TOKEN))
                .isInstanceOf(ImapConnectException.class)
                .hasMessageContaining("not trusted")
                .hasMessageContaining("tls.truststore")
                .satisfies(e -> assertNoSecretIn(e, TestMailbox.TOKEN));
    }

    @Test
    void aClosedPortFailsNamingHostAndPort() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        ImapTarget nowhere = new ImapTarget("localhost", closed, ImapSecurity.TLS, TestMailbox.USER,
                Duration.ofSeconds(2), Duration.ofSeconds(2));

        assertThatThrownBy(() -> connector.open(nowhere, TestMailbox.TOKEN))
                .isInstanceOf(ImapConnectException.class)
                .hasMessageContaining("localhost:" + closed)
                .hasMessageContaining("Nothing accepts connections");
    }

    @Test
    void aJksTruststoreWorksAsWellAsPkcs12(@TempDir Path dir) throws Exception {
        KeyStore pkcs12 = KeyStore.getInstance(TestCertificates.get().truststore().toFile(),
                TestCertificates.PASSWORD.toCharArray());
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setCertificateEntry("test-ca", pkcs12.getCertificate(pkcs12.aliases().nextElement()));
        Path file = dir.resolve("trust.jks");
        try (OutputStream out = Files.newOutputStream(file)) {
            jks.store(out, "jks-pass".toCharArray());
        }
        TlsConfig config = new TlsConfig(Optional.of(file), Optional.of(Secret.of("jks-pass")));

        try (ImapSession session = new ImapConnector(TlsTrust.from(config)).open(mailbox.target(), TestMailbox.TOKEN)) {
            assertThat(session.isOpen()).isTrue();
        }
    }

    @Test
    void closingTheSessionLogsOut() throws Exception {
        ImapSession session = connector.open(mailbox.target(), TestMailbox.TOKEN);
        session.openFolder("INBOX");

        session.close();

        assertThat(session.isOpen()).isFalse();
    }

    static void assertNoSecretIn(Throwable e, Secret token) {
        String base64 = Base64.getEncoder().encodeToString(token.reveal().getBytes(StandardCharsets.UTF_8));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(token.reveal()).doesNotContain(base64);
            assertThat(t.toString()).doesNotContain(token.reveal());
        }
    }
}
