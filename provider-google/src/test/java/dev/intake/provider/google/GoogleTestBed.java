package dev.intake.provider.google;

import dev.intake.config.ImapSecurity;
import dev.intake.config.AuthMode;
import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.IdentityProviders;
import dev.intake.provider.ProviderContext;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.provider.ProviderTestBed;
import java.net.URI;
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

    GoogleTestBed(FakeAuthorizationServer fake) {
        super(fake, CLIENT_ID, SECRET, ACCOUNT);
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
