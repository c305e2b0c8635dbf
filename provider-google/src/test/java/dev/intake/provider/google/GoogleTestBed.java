package dev.intake.provider.google;

import dev.intake.config.ImapSecurity;
import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.AuthorizationCode;
import dev.intake.provider.AuthorizationRequest;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.IdentityProviders;
import dev.intake.provider.Pkce;
import dev.intake.provider.ProviderContext;
import dev.intake.provider.ProviderException;
import dev.intake.testing.Browser;
import dev.intake.testing.CallbackServer;
import dev.intake.testing.FakeAuthorizationServer;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/** A fake Google, a callback to receive codes, and providers configured against them. */
final class GoogleTestBed implements AutoCloseable {

    static final String CLIENT_ID = "1234-abc.apps.googleusercontent.com";
    static final String SECRET = "GOCSPX-" + UUID.randomUUID();

    final FakeAuthorizationServer fake;
    final CallbackServer callback = CallbackServer.start();

    GoogleTestBed() {
        this(FakeAuthorizationServer.google());
    }

    GoogleTestBed(FakeAuthorizationServer fake) {
        this.fake = fake.clientId(CLIENT_ID).acceptClientSecrets(SECRET).signInAs("dana@example.org");
    }

    ProviderConfig config() {
        return config(fake.authUri(), fake.tokenUri());
    }

    ProviderConfig config(URI authUri, URI tokenUri) {
        return new ProviderConfig("google", GoogleIdentityProvider.TYPE, CLIENT_ID, Secret.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS, new GoogleSettings(authUri, tokenUri));
    }

    IdentityProvider provider() {
        return provider(SECRET, ProviderContext.defaults());
    }

    IdentityProvider provider(String secret, ProviderContext context) {
        return IdentityProviders.discover().create(config(), Secret.of(secret), context);
    }

    CallbackServer.Callback signIn(IdentityProvider provider, Pkce pkce, String state) throws ProviderException {
        URI url = provider.authorizationUrl(new AuthorizationRequest(callback.redirectUri(), state, pkce, "dana@example.org"));
        Browser.trustingTestCertificates().open(url);
        return callback.last();
    }

    AuthorizedGrant authorize(IdentityProvider provider) throws ProviderException {
        Pkce pkce = Pkce.generate();
        CallbackServer.Callback arrived = signIn(provider, pkce, "state-" + UUID.randomUUID());
        return provider.redeem(new AuthorizationCode(Secret.of(arrived.param("code")), callback.redirectUri(), pkce.verifier()));
    }

    @Override
    public void close() {
        callback.close();
        fake.close();
    }
}
