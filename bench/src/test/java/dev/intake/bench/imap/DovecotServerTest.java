package dev.intake.bench.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.Secret;
import dev.intake.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's production server: Debian's Dovecot started unprivileged from a directory of its own, accepting a
 * mailbox's bearer token over XOAUTH2 only as the introspection endpoint vouches for it. {@code .ci/run} installs
 * dovecot-imapd.
 */
class DovecotServerTest {

    static final Secret SUPPORT_TOKEN = Secret.of("dovecot-test-token-support");
    static final Secret SALES_TOKEN = Secret.of("dovecot-test-token-sales");

    @TempDir
    Path logs;
    DovecotServer server;

    @BeforeAll
    static void dovecotIsInstalled() {
        assertThat(DovecotServer.installed())
                .as("Debian's dovecot-imapd is installed (.ci/run and bench/run install it)").isTrue();
    }

    @BeforeEach
    void start() throws Exception {
        TestCertificates certs = TestCertificates.get();
        server = DovecotServer.start(logs, List.of(new ImapServer.User("support@bench.example", SUPPORT_TOKEN),
                new ImapServer.User("sales@bench.example", SALES_TOKEN)), certs.keystore(), TestCertificates.PASSWORD);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    MinimalImapClient connect(String user, Secret token) throws Exception {
        return MinimalImapClient.connect(ImapServer.HOST, server.port(), TestCertificates.get().clientContext(), user, token,
                Duration.ofSeconds(20));
    }

    @Test
    void storesAndServesMailOverTlsWithAnIntrospectedToken() throws Exception {
        byte[] mail = ("From: a@customer.example\r\nTo: support@bench.example\r\nSubject: hello\r\n\r\n"
                + "x".repeat(70_000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (MinimalImapClient client = connect("support@bench.example", SUPPORT_TOKEN)) {
            client.appendAll("INBOX", List.of(mail, mail));
            assertThat(client.select("INBOX")).isEqualTo(2);
            List<Long> uids = client.uids();
            assertThat(client.fetchBodies(uids.get(0), uids.get(1))).isEqualTo(new MinimalImapClient.FetchTotals(2,
                    2L * mail.length));
        }
        try (MinimalImapClient other = connect("sales@bench.example", SALES_TOKEN)) {
            assertThat(other.count("INBOX")).as("each user has a mailbox of their own").isZero();
        }
        assertThat(server.introspections()).isEqualTo(2);
        assertThat(server.cpuSeconds()).isPositive();
    }

    @Test
    void refusesAnUnknownTokenAndAnotherUsersToken() {
        assertThatThrownBy(() -> connect("support@bench.example", Secret.of("not-a-token")))
                .isInstanceOf(MinimalImapClient.ImapCommandException.class)
                .hasMessageStartingWith("IMAP AUTHENTICATE failed");
        assertThatThrownBy(() -> connect("support@bench.example", SALES_TOKEN))
                .isInstanceOf(MinimalImapClient.ImapCommandException.class)
                .hasMessageStartingWith("IMAP AUTHENTICATE failed");
    }

    @Test
    void leavesNothingBehindWhenStopped() throws Exception {
        Path home = server.home();
        int port = server.port();
        server.close();
        server = null;
        assertThat(home).as("Dovecot's directory, mail and key included, is removed").doesNotExist();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).as("nothing listens any more")
                .isInstanceOf(java.net.ConnectException.class);
    }
}
