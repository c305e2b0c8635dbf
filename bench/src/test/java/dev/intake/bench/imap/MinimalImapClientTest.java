package dev.intake.bench.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.intake.config.Secret;
import dev.intake.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limit's client against a real GreenMail over IMAPS with XOAUTH2. */
class MinimalImapClientTest {

    static final String USER = "limit@bench.example";
    static final String TOKEN = "limit-test-token";

    GreenMail greenMail;

    @BeforeEach
    void start() {
        TestCertificates certs = TestCertificates.get();
        System.setProperty("greenmail.tls.keystore.file", certs.keystore().toString());
        System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS));
        greenMail.start();
        greenMail.setUser(USER, USER, TOKEN);
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    MinimalImapClient connect(String token) throws Exception {
        return MinimalImapClient.connect("localhost", greenMail.getImaps().getPort(), TestCertificates.get().clientContext(),
                USER, Secret.of(token), Duration.ofSeconds(10));
    }

    @Test
    void fetchesEveryBodyWholeAndCountsItsBytes() throws Exception {
        List<byte[]> messages = List.of(mail("one", 10), mail("two", 5000), mail("three", 70_000));
        long total = messages.stream().mapToLong(m -> m.length).sum();
        try (MinimalImapClient client = connect(TOKEN)) {
            for (byte[] m : messages) {
                client.append("INBOX", m);
            }
            assertThat(client.select("INBOX")).isEqualTo(3);
            List<Long> uids = client.uids();
            assertThat(uids).hasSize(3);

            MinimalImapClient.FetchTotals all = client.fetchBodies(uids.get(0), uids.get(2));
            MinimalImapClient.FetchTotals last = client.fetchBodies(uids.get(2), uids.get(2));

            assertThat(all).isEqualTo(new MinimalImapClient.FetchTotals(3, total));
            assertThat(last.bytes()).isEqualTo(messages.get(2).length);
            assertThat(client.count("INBOX")).isEqualTo(3);
            assertThat(client.count("No.Such.Folder")).isZero();
        }
    }

    @Test
    void pipelinedAppendsKeepTheirOrder() throws Exception {
        List<byte[]> messages = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            messages.add(mail("m" + i, 100 + i * 37));
        }
        try (MinimalImapClient client = connect(TOKEN)) {
            client.appendAll("INBOX", messages);
            client.select("INBOX");
            List<Long> uids = client.uids();

            assertThat(uids).hasSize(30);
            for (int i = 0; i < 30; i++) {
                assertThat(client.fetchBodies(uids.get(i), uids.get(i)).bytes()).isEqualTo(messages.get(i).length);
            }
        }
    }

    @Test
    void aRefusedTokenFailsWithoutShowingTheToken() {
        assertThatThrownBy(() -> connect("wrong-token-value"))
                .isInstanceOf(MinimalImapClient.ImapCommandException.class)
                .hasMessageStartingWith("IMAP AUTHENTICATE failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-token-value"));
    }

    private static byte[] mail(String subject, int bodySize) {
        return ("From: a@customer.example\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\n\r\n" + "x".repeat(bodySize)
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
