package dev.intake.app.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.ImapSecurity;
import dev.intake.config.Secret;
import dev.intake.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * What GreenMail cannot show, against {@link FakeImapServer} (a minimal IMAP server over real TLS): STARTTLS,
 * a server without AUTH=XOAUTH2, a certificate for another host, and Microsoft's BYE when a token expires.
 */
class ImapConnectorFakeServerTest {

    private static final String USER = "support@example.com";
    private static final Secret TOKEN = Secret.of("ya29.scripted-token-0123456789");
    private static final String XOAUTH2 = "IMAP4rev1 SASL-IR AUTH=XOAUTH2";

    private static final ImapConnector connector = new ImapConnector(TlsTrust.from(TestImapsSetup.clientTls()));

    private static ImapTarget target(int port, ImapSecurity security) {
        return new ImapTarget("localhost", port, security, USER, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void aServerWithoutXoauth2GetsNoCredentialsAtAll() throws Exception {
        try (FakeImapServer server = FakeImapServer.implicitTls(
                TestCertificates.get().serverContext(), "IMAP4rev1 AUTH=PLAIN AUTH=LOGIN")) {

            assertThatThrownBy(() -> connector.open(target(server.port(), ImapSecurity.TLS), TOKEN))
                    .isInstanceOf(ImapConnectException.class)
                    .hasMessageContaining("does not offer SASL XOAUTH2")
                    .hasMessageContaining("sent no credentials");

            assertThat(server.commands()).noneMatch(c -> c.startsWith("LOGIN") || c.startsWith("AUTHENTICATE"));
            assertThat(server.received()).noneMatch(r -> r.line().contains(TOKEN.reveal()));
        }
    }

    @Test
    void startTlsEncryptsBeforeTheTokenIsSent() throws Exception {
        try (FakeImapServer server = FakeImapServer.startTls(
                TestCertificates.get().serverContext(), "IMAP4rev1 STARTTLS LOGINDISABLED", XOAUTH2)) {

            try (ImapSession session = connector.open(target(server.port(), ImapSecurity.STARTTLS), TOKEN)) {
                assertThat(session.target().security()).isEqualTo(ImapSecurity.STARTTLS);
            }

            assertThat(server.commands()).contains("STARTTLS");
            FakeImapServer.Received auth = server.received().stream()
                    .filter(r -> r.line().contains("AUTHENTICATE XOAUTH2")).findFirst().orElseThrow();
            assertThat(auth.encrypted()).isTrue();
            String initialResponse = auth.line().substring(auth.line().lastIndexOf(' ') + 1);
            assertThat(new String(Base64.getDecoder().decode(initialResponse), StandardCharsets.UTF_8))
                    .isEqualTo("user=" + USER + "\001auth=Bearer " + TOKEN.reveal() + "\001\001");
            assertThat(server.received()).filteredOn(r -> !r.encrypted()).extracting(FakeImapServer.Received::line)
                    .noneMatch(line -> line.contains("AUTHENTICATE") || line.contains("LOGIN"));
        }
    }

    @Test
    void withoutStartTlsOnTheServerNothingIsSentInTheClear() throws Exception {
        try (FakeImapServer server = FakeImapServer.startTls(
                TestCertificates.get().serverContext(), XOAUTH2, XOAUTH2)) {

            assertThatThrownBy(() -> connector.open(target(server.port(), ImapSecurity.STARTTLS), TOKEN))
                    .isInstanceOf(ImapConnectException.class)
                    .hasMessageContaining("does not offer STARTTLS");

            assertThat(server.commands()).noneMatch(c -> c.startsWith("LOGIN") || c.startsWith("AUTHENTICATE"));
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        OtherHostCertificate other = OtherHostCertificate.get();
        ImapConnector trustsOther = new ImapConnector(TlsTrust.from(other.clientTls()));
        try (FakeImapServer server = FakeImapServer.implicitTls(other.serverContext(), XOAUTH2)) {

            assertThatThrownBy(() -> trustsOther.open(target(server.port(), ImapSecurity.TLS), TOKEN))
                    .isInstanceOf(ImapConnectException.class)
                    .hasMessageContaining("does not match the host localhost");

            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void anExpiredTokenByeMidSessionIsRecognised() throws Exception {
        try (FakeImapServer server = FakeImapServer.implicitTls(TestCertificates.get().serverContext(), XOAUTH2)
                .byeOn("UID FETCH", "Session invalidated - AccessTokenExpired")) {
            try (ImapSession session = connector.open(target(server.port(), ImapSecurity.TLS), TOKEN)) {
                ImapFolder inbox = session.openFolder("INBOX");
                assertThat(inbox.uidValidity()).isEqualTo(7);

                assertThatThrownBy(() -> inbox.uidsAfter(0, 10))
                        .isInstanceOf(ImapSessionLostException.class)
                        .hasMessageContaining("access token expired")
                        .satisfies(e -> assertThat(((ImapSessionLostException) e).accessTokenExpired()).isTrue());
            }
        }
    }

    @Test
    void aByeWhileAMessageStreamsIsALostSessionNotTheConsumersFailure() throws Exception {
        try (FakeImapServer server = FakeImapServer.implicitTls(TestCertificates.get().serverContext(), XOAUTH2)
                .byeOn("FETCH 1 (BODY", "Session invalidated - AccessTokenExpired")) {
            try (ImapSession session = connector.open(target(server.port(), ImapSecurity.TLS), TOKEN)) {
                ImapFolder inbox = session.openFolder("INBOX");

                assertThatThrownBy(() -> inbox.withRaw(1, InputStream::readAllBytes))
                        .isInstanceOf(ImapSessionLostException.class)
                        .satisfies(e -> assertThat(((ImapSessionLostException) e).accessTokenExpired()).isTrue());
            }
        }
    }

    @Test
    void aConsumerThatSwallowsTheStreamFailureDoesNotHideIt() throws Exception {
        try (FakeImapServer server = FakeImapServer.implicitTls(TestCertificates.get().serverContext(), XOAUTH2)
                .byeOn("FETCH 1 (BODY", "connection reset")) {
            try (ImapSession session = connector.open(target(server.port(), ImapSecurity.TLS), TOKEN)) {
                ImapFolder inbox = session.openFolder("INBOX");

                assertThatThrownBy(() -> inbox.withRaw(1, in -> {
                    try {
                        in.readAllBytes();
                    } catch (IOException ignored) {
                        // a careless consumer
                    }
                })).isInstanceOf(ImapSessionLostException.class).hasMessageContaining("was lost");
            }
        }
    }

    @Test
    void withoutUidNextInTheSelectAnswerItIsDerivedFromTheHighestUid() throws Exception {
        try (FakeImapServer server = FakeImapServer.implicitTls(TestCertificates.get().serverContext(), XOAUTH2)
                .withoutUidNext()) {
            try (ImapSession session = connector.open(target(server.port(), ImapSecurity.TLS), TOKEN)) {
                ImapFolder inbox = session.openFolder("INBOX");

                assertThat(inbox.uidNext()).isEqualTo(2);
                assertThat(server.commands()).contains("UID FETCH 4294967295:* (UID)");
            }
        }
    }
}
