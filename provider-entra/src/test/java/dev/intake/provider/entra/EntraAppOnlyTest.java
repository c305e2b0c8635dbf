package dev.intake.provider.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.intake.config.AuthMode;
import dev.intake.config.ImapSecurity;
import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.AccessToken;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.IdentityProvider;
import dev.intake.testing.FakeAuthorizationServer.RecordedRequest;
import dev.intake.testing.TestClientCertificate;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** App-only access at Entra: the client credentials grant with the client secret or a certificate's assertion. */
class EntraAppOnlyTest {

    private static final String MAILBOX = "helpdesk@contoso.example";
    private static final TestClientCertificate UPLOADED = TestClientCertificate.generate("intake-app");
    private static final TestClientCertificate OTHER = TestClientCertificate.generate("not-uploaded");

    private final EntraTestBed bed = new EntraTestBed();

    @AfterEach
    void close() {
        bed.close();
    }

    private ProviderConfig appOnly(Optional<Secret> certificate, Optional<Secret> key) {
        return new ProviderConfig("entra", EntraIdentityProvider.TYPE, EntraTestBed.CLIENT_ID, AuthMode.APP,
                Secret.of(""), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS,
                new EntraSettings(EntraTestBed.TENANT, bed.fake.authority(), certificate, key));
    }

    private IdentityProvider withCertificate(TestClientCertificate certificate) {
        return bed.provider(appOnly(Optional.of(Secret.of(certificate.certificatePem())),
                Optional.of(Secret.of(certificate.privateKeyPem()))), "");
    }

    private RecordedRequest lastTokenRequest() {
        return bed.fake.requests().stream().filter(r -> r.path().endsWith("/oauth2/v2.0/token"))
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void clientSecretGetsAnExchangeOnlineTokenWithTheDefaultScope() throws Exception {
        AccessToken token = bed.provider().appOnlyToken(MAILBOX);

        assertThat(bed.fake.issuedAccessTokens()).containsExactly(token.value().reveal());
        assertThat(token.expiresAt()).isAfter(Instant.now().plusSeconds(3000));
        RecordedRequest request = lastTokenRequest();
        assertThat(request.param("grant_type")).isEqualTo("client_credentials");
        assertThat(request.param("scope").split(" ")).as("msal4j adds the OpenID scopes, which Entra ignores here")
                .contains("https://outlook.office365.com/.default")
                .noneMatch(scope -> scope.startsWith("https://") && !scope.equals("https://outlook.office365.com/.default"));
        assertThat(request.param("client_assertion")).isNull();
    }

    @Test
    void certificateSignsAClientAssertionThatTheServerVerifies() throws Exception {
        bed.fake.acceptClientCertificates(UPLOADED.certificate());

        AccessToken token = withCertificate(UPLOADED).appOnlyToken(MAILBOX);

        assertThat(bed.fake.issuedAccessTokens()).containsExactly(token.value().reveal());
        RecordedRequest request = lastTokenRequest();
        assertThat(request.param("client_secret")).isNull();
        SignedJWT assertion = SignedJWT.parse(request.param("client_assertion"));
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo(EntraTestBed.CLIENT_ID);
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo(EntraTestBed.CLIENT_ID);
        assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(bed.fake.tokenUri().toString());
        byte[] der = UPLOADED.certificate().getEncoded();
        assertThat(assertion.getHeader().getX509CertSHA256Thumbprint().decode())
                .as("the header names the certificate by its thumbprint")
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(der));
    }

    @Test
    void certificateAndKeyMayShareOnePemText() throws Exception {
        bed.fake.acceptClientCertificates(UPLOADED.certificate());
        IdentityProvider provider = bed.provider(appOnly(Optional.of(Secret.of(UPLOADED.combinedPem())), Optional.empty()), "");

        assertThat(provider.appOnlyToken(MAILBOX).value().reveal()).isNotEmpty();
    }

    @Test
    void aCertificateNotUploadedIsRefusedWithWhatToUpload() {
        bed.fake.acceptClientCertificates(UPLOADED.certificate());

        assertThatThrownBy(() -> withCertificate(OTHER).appOnlyToken(MAILBOX))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageStartingWith("AADSTS700027: ")
                .hasMessageContaining("Upload the certificate of providers.entra.client-certificate");
    }

    @Test
    void aRotatedCertificateIsUsedByTheProviderBuiltFromTheNewConfiguration() throws Exception {
        bed.fake.acceptClientCertificates(UPLOADED.certificate(), OTHER.certificate());
        withCertificate(UPLOADED).appOnlyToken(MAILBOX);
        // the admin removes the old certificate from the app registration after the rotation
        bed.fake.acceptClientCertificates(OTHER.certificate());

        assertThat(withCertificate(OTHER).appOnlyToken(MAILBOX).value().reveal()).isNotEmpty();
        assertThatThrownBy(() -> withCertificate(UPLOADED).appOnlyToken(MAILBOX))
                .isInstanceOf(ClientCredentialsRejectedException.class);
    }

    @Test
    void aWrongClientSecretIsTheOperatorsToFix() {
        assertThatThrownBy(() -> bed.provider("not-the-secret").appOnlyToken(MAILBOX))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageStartingWith("AADSTS7000215: ");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedBeforeAnyRequest() {
        ProviderConfig mismatched = appOnly(Optional.of(Secret.of(UPLOADED.certificatePem())),
                Optional.of(Secret.of(OTHER.privateKeyPem())));

        assertThatThrownBy(() -> bed.provider(mismatched, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.entra.client-certificate-key is not the private key of the certificate")
                .hasMessageNotContaining(OTHER.privateKeyPem().substring(40, 80));
        assertThat(bed.fake.requests()).isEmpty();
    }

    @Test
    void exchangesAuthenticatedButNotConnectedNamesTheMissingExchangeSteps() {
        IdentityProvider provider = bed.provider();

        Optional<String> appOnly = provider.explainImapRefusal("A3 BAD User is authenticated but not connected.", MAILBOX, true);
        Optional<String> delegated = provider.explainImapRefusal("A3 BAD User is authenticated but not connected.", MAILBOX, false);

        assertThat(appOnly).hasValueSatisfying(text -> assertThat(text)
                .contains("Get-ServicePrincipal", "New-ServicePrincipal -AppId " + EntraTestBed.CLIENT_ID,
                        "Add-MailboxPermission -Identity " + MAILBOX, "-AccessRights FullAccess"));
        assertThat(delegated).hasValueSatisfying(text -> assertThat(text).contains("delegate").doesNotContain("New-ServicePrincipal"));
        assertThat(provider.explainImapRefusal("A3 NO [TRYCREATE] Mailbox doesn't exist", MAILBOX, true)).isEmpty();
    }

    @Test
    void aPkcs12CertificateInBase64WithItsPasswordWorksLikePem() throws Exception {
        bed.fake.acceptClientCertificates(UPLOADED.certificate());
        ProviderConfig pkcs12 = new ProviderConfig("entra", EntraIdentityProvider.TYPE, EntraTestBed.CLIENT_ID, AuthMode.APP,
                Secret.of(""), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS,
                new EntraSettings(EntraTestBed.TENANT, bed.fake.authority(),
                        Optional.of(Secret.of(UPLOADED.pkcs12Base64("p12-password"))), Optional.empty(),
                        Optional.of(Secret.of("p12-password"))));

        assertThat(bed.provider(pkcs12, "").appOnlyToken(MAILBOX).value().reveal()).isNotEmpty();
    }

    @Test
    void aPkcs12CertificateWithTheWrongPasswordNamesThePasswordKey() {
        ProviderConfig wrong = new ProviderConfig("entra", EntraIdentityProvider.TYPE, EntraTestBed.CLIENT_ID, AuthMode.APP,
                Secret.of(""), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS,
                new EntraSettings(EntraTestBed.TENANT, bed.fake.authority(),
                        Optional.of(Secret.of(UPLOADED.pkcs12Base64("p12-password"))), Optional.empty(),
                        Optional.of(Secret.of("not-it"))));

        assertThatThrownBy(() -> bed.provider(wrong, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.entra.client-certificate-password is wrong or missing")
                .hasMessageNotContaining("not-it");
    }
}
