package dev.intake.app.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.intake.app.collect.CollectionFailedException;
import dev.intake.app.collect.PollSummary;
import dev.intake.app.status.MailboxStatus;
import dev.intake.app.store.MailboxState;
import dev.intake.app.support.FakeExchangeImap;
import dev.intake.app.support.IntakeFixture;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketSummary;
import dev.intake.config.MailboxConfig;
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.FakeAuthorizationServer.RecordedRequest;
import dev.intake.testing.Mails;
import dev.intake.testing.TestClientCertificate;
import dev.intake.testing.TestServiceAccount;
import com.icegreen.greenmail.user.GreenMailUser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * App-only mailboxes end to end: no one authorizes them; Intake gets tokens with the application's own credentials
 * from the fake Entra and Google servers (which verify the certificate's assertion and the service account's JWT),
 * GreenMail accepts those tokens over XOAUTH2, and the mail becomes tickets. What the admin must still do outside
 * Intake (Exchange's service principal and mailbox permission, Google's domain-wide delegation) is explained when it
 * is missing.
 */
class AppOnlyCollectionTest {

    private static final String ENTRA_MAILBOX = "billing@contoso.com";
    private static final String GOOGLE_MAILBOX = "sales@example.com";
    private static final String TOKEN = "app-only-imap-token";

    @TempDir
    Path dir;

    private IntakeFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private IntakeFixture fixture(String id, String provider, String address, String... lines) {
        List<String> all = new ArrayList<>(List.of("auth: app", "poll-every: 1h", "paused: true", "initial-sync: all"));
        all.addAll(List.of(lines));
        fx = new IntakeFixture(dir).yaml("operations:\n  reload-check-every: 100ms\n")
                .mailbox(id, provider, address, all.toArray(String[]::new));
        fx.entra().fixedAccessToken(TOKEN);
        fx.google().fixedAccessToken(TOKEN);
        return fx;
    }

    private PollSummary poll(String id) throws CollectionFailedException {
        MailboxConfig mailbox = fx.intake().currentConfig().mailbox(id).orElseThrow();
        return fx.intake().collection().poll(mailbox, () -> false);
    }

    private List<String> ticketSubjects() {
        return fx.intake().tickets().list(TicketQuery.firstPage(100)).stream().map(TicketSummary::subject).toList();
    }

    private void deliver(GreenMailUser user, String address, String subject) {
        fx.append(user, "INBOX", Mails.plain("Ann <ann@customer.example>", address, subject,
                "<" + subject.hashCode() + "@customer.example>", "Please help."), Instant.now());
    }

    private void useCertificate(TestClientCertificate certificate) {
        fx.writeSecret("entra-cert.pem", certificate.certificatePem());
        fx.writeSecret("entra-key.pem", certificate.privateKeyPem());
    }

    private static RecordedRequest lastTokenRequest(FakeAuthorizationServer server) {
        return server.requests().stream().filter(r -> r.method().equals("POST")).reduce((a, b) -> b).orElseThrow();
    }

    private static byte[] sha256(TestClientCertificate certificate) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(certificate.certificate().getEncoded());
    }

    @Test
    void anEntraMailboxWithACertificateIsCollectedWithoutAnyoneAuthorizingIt() throws Exception {
        TestClientCertificate certificate = TestClientCertificate.generate("intake");
        fixture("billing", "entra", ENTRA_MAILBOX)
                .provider("entra", "client-certificate: ${file:entra-cert.pem}", "client-certificate-key: ${file:entra-key.pem}");
        useCertificate(certificate);
        fx.entra().acceptClientCertificates(certificate.certificate());
        GreenMailUser user = fx.imapUser(ENTRA_MAILBOX, TOKEN);
        deliver(user, ENTRA_MAILBOX, "Invoice missing");
        fx.start();

        assertThat(fx.stores().mailboxes().find("billing").orElseThrow().state()).isEqualTo(MailboxState.ACTIVE);
        MailboxStatus status = fx.intake().statuses().find("billing").orElseThrow();
        assertThat(status.appOnly()).isTrue();
        assertThat(status.authorized()).isTrue();

        assertThat(poll("billing").tickets()).isEqualTo(1);
        assertThat(ticketSubjects()).containsExactly("Invoice missing");
        assertThat(fx.stores().authorizations().find("billing")).as("no grant is stored").isEmpty();
        RecordedRequest request = lastTokenRequest(fx.entra());
        assertThat(request.param("grant_type")).isEqualTo("client_credentials");
        assertThat(request.param("client_secret")).isNull();
        assertThat(SignedJWT.parse(request.param("client_assertion")).getHeader().getX509CertSHA256Thumbprint().decode())
                .isEqualTo(sha256(certificate));
    }

    @Test
    void aRefusedServiceAccountIsReportedAsItselfAndNoClientSecretIsTriedInstead() throws Exception {
        fixture("sales", "google", "sales@example.com")
                .provider("google", "service-account-key: ${file:google-sa.json}",
                        // mid-rotation of the OAuth client's secret, which plays no part in a service account's token
                        "client-secret-next: ${file:google-secret-next}");
        fx.writeSecret("google-secret-next", "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ent");
        TestServiceAccount account = fx.google().serviceAccount("intake@intake-test.iam.gserviceaccount.com");
        fx.writeSecret("google-sa.json", account.jsonKey(fx.google().tokenUri()));
        fx.start();
        String jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
        int before = fx.google().tokenRequests(jwtBearer);

        dev.intake.app.check.ConnectionReport report = fx.intake().mailboxActions().testConnection("sales");

        assertThat(report.ok()).isFalse();
        assertThat(report.steps().get(0).detail()).contains("Domain Wide Delegation").doesNotContain("client-secret");
        assertThat(fx.google().tokenRequests(jwtBearer) - before).as("one request: no secret replaces a service account key")
                .isEqualTo(1);
    }

    @Test
    void aCertificateRotatedThroughTheConfigurationIsUsedWithoutARestart() throws Exception {
        TestClientCertificate old = TestClientCertificate.generate("intake-2026");
        TestClientCertificate next = TestClientCertificate.generate("intake-2027");
        fixture("billing", "entra", ENTRA_MAILBOX)
                .provider("entra", "client-certificate: ${file:entra-cert.pem}", "client-certificate-key: ${file:entra-key.pem}");
        useCertificate(old);
        // tokens shorter than Intake's refresh margin, so every run asks for one
        fx.entra().acceptClientCertificates(old.certificate()).accessTokenLifetime(Duration.ofMinutes(4));
        GreenMailUser user = fx.imapUser(ENTRA_MAILBOX, TOKEN);
        fx.start();
        deliver(user, ENTRA_MAILBOX, "Before the rotation");
        assertThat(poll("billing").tickets()).isEqualTo(1);

        // the admin uploads the new certificate, replaces the files, then removes the old one from the registration
        fx.entra().acceptClientCertificates(old.certificate(), next.certificate());
        try (CapturedLogs logs = CapturedLogs.capture()) {
            useCertificate(next);
            awaitReload();
            fx.entra().acceptClientCertificates(next.certificate());
            deliver(user, ENTRA_MAILBOX, "After the rotation");

            assertThat(poll("billing").tickets()).isEqualTo(1);
            assertThat(SignedJWT.parse(lastTokenRequest(fx.entra()).param("client_assertion")).getHeader()
                    .getX509CertSHA256Thumbprint().decode()).isEqualTo(sha256(next));
            assertThat(ticketSubjects()).containsExactlyInAnyOrder("Before the rotation", "After the rotation");
            String log = logs.text();
            for (TestClientCertificate c : List.of(old, next)) {
                assertThat(log).as("no private key in the log").doesNotContain(keyBody(c));
            }
            assertThat(log).doesNotContain(TOKEN);
        }
    }

    /** Waits until the running Intake has read the changed certificate files. */
    private void awaitReload() throws InterruptedException {
        Object before = fx.config().current().provider("entra").orElseThrow().settings();
        for (int i = 0; i < 100 && fx.intake().currentConfig().provider("entra").orElseThrow().settings().equals(before); i++) {
            Thread.sleep(100);
        }
        assertThat(fx.intake().currentConfig().provider("entra").orElseThrow().settings()).as("reloaded").isNotEqualTo(before);
    }

    private static String keyBody(TestClientCertificate certificate) {
        return certificate.privateKeyPem().split("\n")[2];
    }

    @Test
    void anEntraProviderWithAuthAppUsesItsClientSecretForItsMailboxes() throws Exception {
        fx = new IntakeFixture(dir).provider("entra", "auth: app")
                .mailbox("billing", "entra", ENTRA_MAILBOX, "poll-every: 1h", "paused: true", "initial-sync: all");
        fx.entra().fixedAccessToken(TOKEN);
        GreenMailUser user = fx.imapUser(ENTRA_MAILBOX, TOKEN);
        deliver(user, ENTRA_MAILBOX, "Paid twice");
        fx.start();

        assertThat(poll("billing").tickets()).isEqualTo(1);
        RecordedRequest request = lastTokenRequest(fx.entra());
        assertThat(request.param("grant_type")).isEqualTo("client_credentials");
        assertThat(request.param("client_secret")).isEqualTo(IntakeFixture.ENTRA_SECRET);
    }

    @Test
    void whenExchangeSaysAuthenticatedButNotConnectedTheMissingStepsAreNamed() throws Exception {
        fixture("billing", "entra", ENTRA_MAILBOX);
        try (FakeExchangeImap exchange = new FakeExchangeImap(fx.greenMail().getImaps().getPort())) {
            fx.editMailboxes("poll-every: 1h", "poll-every: 1h\n    imap-host: localhost\n    imap-port: " + exchange.port());
            GreenMailUser user = fx.imapUser(ENTRA_MAILBOX, TOKEN);
            deliver(user, ENTRA_MAILBOX, "Stuck");
            fx.start();

            assertThatThrownBy(() -> poll("billing"))
                    .isInstanceOf(CollectionFailedException.class)
                    .hasMessageContaining("User is authenticated but not connected")
                    .hasMessageContaining("New-ServicePrincipal -AppId " + IntakeFixture.ENTRA_CLIENT_ID)
                    .hasMessageContaining("Add-MailboxPermission -Identity " + ENTRA_MAILBOX);
            MailboxStatus status = fx.intake().statuses().find("billing").orElseThrow();
            assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("Get-ServicePrincipal"));
            assertThat(ticketSubjects()).isEmpty();

            exchange.grantMailboxAccess();
            assertThat(poll("billing").tickets()).isEqualTo(1);
            assertThat(ticketSubjects()).containsExactly("Stuck");
        }
    }

    @Test
    void aGoogleServiceAccountWithDomainWideDelegationCollectsTheMailbox() throws Exception {
        fixture("sales", "google", GOOGLE_MAILBOX).provider("google", "service-account-key: ${file:google-sa.json}");
        TestServiceAccount account = fx.google().serviceAccount("intake@intake-test.iam.gserviceaccount.com");
        fx.writeSecret("google-sa.json", account.jsonKey(fx.google().tokenUri()));
        GreenMailUser user = fx.imapUser(GOOGLE_MAILBOX, TOKEN);
        deliver(user, GOOGLE_MAILBOX, "Quote request");
        fx.start();

        // before the Workspace admin grants the delegation
        assertThatThrownBy(() -> poll("sales"))
                .isInstanceOf(CollectionFailedException.class)
                .hasMessageContaining("unauthorized_client")
                .hasMessageContaining("client ID " + account.clientId() + " with the OAuth scope https://mail.google.com/");
        assertThat(fx.stores().mailboxes().find("sales").orElseThrow().state())
                .as("the app's configuration is at fault, not a grant").isEqualTo(MailboxState.ACTIVE);

        fx.google().allowDomainWideDelegation(account, "https://mail.google.com/");
        assertThat(poll("sales").tickets()).isEqualTo(1);
        assertThat(ticketSubjects()).containsExactly("Quote request");
        assertThat(fx.google().appOnlySubjects()).containsExactly(GOOGLE_MAILBOX);
    }

    @Test
    void neitherKeysNorTokensReachTheLogsOrTheDatabase() throws Exception {
        TestClientCertificate certificate = TestClientCertificate.generate("intake");
        fixture("billing", "entra", ENTRA_MAILBOX)
                .provider("entra", "client-certificate: ${file:entra-cert.pem}")
                .provider("google", "service-account-key: ${file:google-sa.json}")
                .mailbox("sales", "google", GOOGLE_MAILBOX, "auth: app", "poll-every: 1h", "paused: true");
        fx.writeSecret("entra-cert.pem", certificate.combinedPem());
        fx.entra().acceptClientCertificates(certificate.certificate()).fixedAccessToken(null);
        fx.google().fixedAccessToken(null);
        TestServiceAccount account = fx.google().serviceAccount("intake@intake-test.iam.gserviceaccount.com");
        fx.writeSecret("google-sa.json", account.jsonKey(fx.google().tokenUri()));
        fx.google().allowDomainWideDelegation(account, "https://mail.google.com/");
        try (CapturedLogs logs = CapturedLogs.capture()) {
            fx.start();
            List<String> secrets = new ArrayList<>();
            secrets.add(fx.intake().tokens().accessToken("billing").value().reveal());
            secrets.add(fx.intake().tokens().accessToken("sales").value().reveal());
            secrets.add(keyBody(certificate));
            String json = account.jsonKey(fx.google().tokenUri());
            secrets.add(json.substring(json.indexOf("BEGIN PRIVATE KEY") + 30, json.indexOf("BEGIN PRIVATE KEY") + 80));
            // a failing run logs its error: it must not carry the token either
            assertThatThrownBy(() -> poll("billing")).isInstanceOf(CollectionFailedException.class);
            fx.stop();

            String db = new String(fx.databaseBytes(), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(logs.text()).as("log").doesNotContain(secret);
                assertThat(db).as("database file").doesNotContain(secret);
            }
        }
    }
}
