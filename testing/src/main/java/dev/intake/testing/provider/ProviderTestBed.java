package dev.intake.testing.provider;

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
import dev.intake.testing.FakeCallbackServer;
import dev.intake.testing.FakeAuthorizationServer;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * One identity provider under test, without the app: its fake authorization server, a callback that receives what
 * the admin's browser brings back, and providers built the way the app builds them (found with {@code ServiceLoader},
 * from a {@link ProviderConfig}). A provider module extends it with its own configuration; the steps every
 * authorization takes (the admin signs in, the code is redeemed) are written here once.
 */
public abstract class ProviderTestBed implements AutoCloseable {

    /** The provider's authorization server, configured with this bed's client id, secret and account. */
    public final FakeAuthorizationServer fake;
    /** The redirect URI the providers are given; records every callback. */
    public final FakeCallbackServer callback = FakeCallbackServer.start();

    private final String clientSecret;
    private final String account;

    /**
     * @param fake         a fresh fake of the provider's flavour; this bed closes it
     * @param account      the address that signs in (and the login hint), in lower case
     */
    protected ProviderTestBed(FakeAuthorizationServer fake, String clientId, String clientSecret, String account) {
        this.fake = fake.clientId(clientId).acceptClientSecrets(clientSecret).signInAs(account);
        this.clientSecret = clientSecret;
        this.account = account;
    }

    /** The provider's configuration, pointing at {@link #fake}. */
    public abstract ProviderConfig config();

    /** The same configuration with the token endpoint moved to {@code port} of localhost, where nothing listens. */
    public abstract ProviderConfig configWithTokenEndpointOnPort(int port);

    /**
     * The provider's configuration for app-only access ({@code auth: app}) with credentials {@link #fake} accepts: a
     * certificate it has on record, a service account with domain-wide delegation.
     */
    public abstract ProviderConfig appOnlyConfig();

    /** {@link #fake} stops accepting the app-only credentials (the certificate removed, the delegation revoked). */
    public abstract void refuseAppOnly();

    /** Fragments of the app-only credentials' key material, for checks that nothing shows them. */
    public abstract List<String> appOnlySecrets();

    /** What the app hands the provider: by default the JDK's trust and the system clock. */
    public ProviderContext context() {
        return ProviderContext.defaults();
    }

    /** The client secret the fake accepts (until a test rotates it). */
    public String clientSecret() {
        return clientSecret;
    }

    /** The account that signs in, lower case, as the provider must report it. */
    public String account() {
        return account;
    }

    /** The provider as the app gets it: through {@code ServiceLoader}, with the configured client secret. */
    public IdentityProvider provider() {
        return provider(clientSecret);
    }

    /** The provider the app builds after the operator changed the client secret. */
    public IdentityProvider provider(String secret) {
        return provider(config(), secret);
    }

    public IdentityProvider provider(ProviderConfig config, String secret) {
        return IdentityProviders.discover().create(config, Secret.of(secret), context());
    }

    /** The admin's side of an authorization: the browser through the fake's authorize page to the callback. */
    public FakeCallbackServer.Callback signIn(IdentityProvider provider, Pkce pkce, String state) throws ProviderException {
        URI url = provider.authorizationUrl(new AuthorizationRequest(callback.redirectUri(), state, pkce, account));
        Browser.trustingTestCertificates().open(url);
        return callback.last();
    }

    /** A whole authorization: sign in, then redeem the code that arrived. */
    public AuthorizedGrant authorize(IdentityProvider provider) throws ProviderException {
        Pkce pkce = Pkce.generate();
        FakeCallbackServer.Callback arrived = signIn(provider, pkce, "state-" + UUID.randomUUID());
        return provider.redeem(new AuthorizationCode(Secret.of(arrived.param("code")), callback.redirectUri(), pkce.verifier()));
    }

    @Override
    public void close() {
        try {
            callback.close();
        } finally {
            fake.close();
        }
    }
}
