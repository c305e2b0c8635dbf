package dev.intake.provider.entra;

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
import dev.intake.testing.TestCertificates;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** A fake Entra tenant, a callback to receive codes, and providers configured against them. */
final class EntraTestBed implements AutoCloseable {

    static final String TENANT = "contoso.example";
    static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    static final String SECRET = "entra-secret-" + UUID.randomUUID();

    final FakeAuthorizationServer fake = FakeAuthorizationServer.entra(TENANT)
            .clientId(CLIENT_ID).acceptClientSecrets(SECRET).signInAs("alice@contoso.example");
    final CallbackServer callback = CallbackServer.start();

    ProviderConfig config() {
        return config(fake.authority());
    }

    ProviderConfig config(URI authority) {
        return new ProviderConfig("entra", EntraIdentityProvider.TYPE, CLIENT_ID, Secret.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), ImapSecurity.TLS, new EntraSettings(TENANT, authority));
    }

    static ProviderContext trustingTestCertificates() {
        return new ProviderContext(Optional.of(TestCertificates.get().clientContext().getSocketFactory()), Clock.systemUTC());
    }

    /** The provider as the app gets it: through ServiceLoader, with the test certificate trusted. */
    IdentityProvider provider() {
        return provider(SECRET);
    }

    IdentityProvider provider(String secret) {
        return IdentityProviders.discover().create(config(), Secret.of(secret), trustingTestCertificates());
    }

    /** The admin's side of an authorization: the browser through the fake's authorize page to the callback. */
    CallbackServer.Callback signIn(IdentityProvider provider, Pkce pkce, String state) throws ProviderException {
        URI url = provider.authorizationUrl(new AuthorizationRequest(callback.redirectUri(), state, pkce, "alice@contoso.example"));
        Browser.trustingTestCertificates().open(url);
        return callback.last();
    }

    /** A whole authorization: sign in, then redeem the code that arrived. */
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
