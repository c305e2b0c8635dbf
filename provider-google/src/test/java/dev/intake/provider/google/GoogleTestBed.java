package dev.intake.provider.google;

import dev.intake.config.AuthMode;
import dev.intake.config.ImapSecurity;
import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.IdentityProviders;
import dev.intake.provider.ProviderContext;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.TestServiceAccount;
import dev.intake.testing.provider.ProviderTestBed;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A fake Google, a callback to receive codes, and Google providers configured against them. */
final class GoogleTestBed extends ProviderTestBed {

    static final String CLIENT_ID = "1234-abc.apps.googleusercontent.com";
    static final String SECRET = "GOCSPX-" + UUID.randomUUID();
    static final String ACCOUNT = "dana@example.org";

    GoogleTestBed() {
        this(FakeAuthorizationServer.google());
    }

    /** A service account of the project with domain-wide delegation for Gmail, for app-only access. */
    final TestServiceAccount serviceAccount;

    GoogleTestBed(FakeAuthorizationServer fake) {
        super(fake, CLIENT_ID, SECRET, ACCOUNT);
        this.serviceAccount = fake.serviceAccount("intake@intake-test.iam.gserviceaccount.com");
        fake.allowDomainWideDelegation(serviceAccount, "https://mail.google.com/");
    }

    /** App-only with the service account's key (naming Google's token URI; the provider's token-uri decides). */
    @Override
    public ProviderConfig appOnlyConfig() {
        return new ProviderConfig("google", GoogleIdentityProvider.TYPE, CLIENT_ID, AuthMode.APP, Secret.of(""),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS,
                new GoogleSettings(fake.authUri(), fake.tokenUri(), Optional.of(Secret.of(
                        serviceAccount.jsonKey(URI.create("https://oauth2.googleapis.com/token"))))));
    }

    @Override
    public void refuseAppOnly() {
        fake.revokeDomainWideDelegation(serviceAccount);
    }

    @Override
    public List<String> appOnlySecrets() {
        String json = serviceAccount.jsonKey(fake.tokenUri());
        int key = json.indexOf("BEGIN PRIVATE KEY") + 30;
        return List.of(json.substring(key, key + 40), json.substring(key + 200, key + 240));
    }

    @Override
    public ProviderConfig config() {
        return config(fake.authUri(), fake.tokenUri());
    }

    ProviderConfig config(URI authUri, URI tokenUri) {
        return new ProviderConfig("google", GoogleIdentityProvider.TYPE, CLIENT_ID, AuthMode.DELEGATED, Secret.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS, new GoogleSettings(authUri, tokenUri));
    }

    @Override
    public ProviderConfig configWithTokenEndpointOnPort(int port) {
        return config(fake.authUri(), URI.create("http://localhost:" + port + "/token"));
    }

    IdentityProvider provider(String secret, ProviderContext context) {
        return IdentityProviders.discover().create(config(), Secret.of(secret), context);
    }
}
