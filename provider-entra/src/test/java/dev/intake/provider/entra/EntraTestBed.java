package dev.intake.provider.entra;

import dev.intake.config.AuthMode;
import dev.intake.config.ImapSecurity;
import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.ProviderContext;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.TestClientCertificate;
import dev.intake.testing.TestCertificates;
import dev.intake.testing.provider.ProviderTestBed;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A fake Entra tenant over HTTPS, a callback to receive codes, and Entra providers configured against them. */
final class EntraTestBed extends ProviderTestBed {

    static final String TENANT = "contoso.example";
    static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    static final String SECRET = "entra-secret-" + UUID.randomUUID();
    static final String ACCOUNT = "alice@contoso.example";

    /** The certificate "uploaded" to the app registration, for app-only access. */
    static final TestClientCertificate CERTIFICATE = TestClientCertificate.generate("intake-entra-test");

    EntraTestBed() {
        super(FakeAuthorizationServer.entra(TENANT), CLIENT_ID, SECRET, ACCOUNT);
        fake.acceptClientCertificates(CERTIFICATE.certificate());
    }

    /** App-only with the certificate, and no client secret at all. */
    @Override
    public ProviderConfig appOnlyConfig() {
        return new ProviderConfig("entra", EntraIdentityProvider.TYPE, CLIENT_ID, AuthMode.APP, Secret.of(""),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS,
                new EntraSettings(TENANT, fake.authority(), Optional.of(Secret.of(CERTIFICATE.certificatePem())),
                        Optional.of(Secret.of(CERTIFICATE.privateKeyPem()))));
    }

    @Override
    public void refuseAppOnly() {
        fake.acceptClientCertificates();
    }

    @Override
    public List<String> appOnlySecrets() {
        return List.of(CERTIFICATE.privateKeyPem().split("\n")[1], CERTIFICATE.privateKeyPem().split("\n")[5]);
    }

    @Override
    public ProviderConfig config() {
        return config(fake.authority());
    }

    ProviderConfig config(URI authority) {
        return new ProviderConfig("entra", EntraIdentityProvider.TYPE, CLIENT_ID, AuthMode.DELEGATED, Secret.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS, new EntraSettings(TENANT, authority));
    }

    @Override
    public ProviderConfig configWithTokenEndpointOnPort(int port) {
        return config(URI.create("https://localhost:" + port + "/"));
    }

    /** msal4j only speaks HTTPS to an authority: the fake's certificate is trusted, as tls.truststore would. */
    @Override
    public ProviderContext context() {
        return trustingTestCertificates();
    }

    static ProviderContext trustingTestCertificates() {
        return new ProviderContext(Optional.of(TestCertificates.get().clientContext().getSocketFactory()), Clock.systemUTC());
    }
}
