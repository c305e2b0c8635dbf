package dev.intake.provider.entra;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.aad.msal4j.SilentParameters;
import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.AccessToken;
import dev.intake.provider.AuthorizationCode;
import dev.intake.provider.AuthorizationFailedException;
import dev.intake.provider.AuthorizationRequest;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.Grant;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.ImapEndpoint;
import dev.intake.provider.ProviderContext;
import dev.intake.provider.ProviderException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TokenResponse;
import dev.intake.provider.TransientProviderException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Microsoft Entra through msal4j, as a confidential client. The grant is msal4j's serialized token cache for the
 * mailbox's account (msal4j keeps the refresh token there and never hands it out); every call works on a fresh
 * {@link ConfidentialClientApplication} loaded from the grant, so nothing is shared between mailboxes or kept between
 * calls.
 */
public final class EntraIdentityProvider implements IdentityProvider {

    public static final String TYPE = "entra";

    /**
     * Outlook's IMAP permission plus OpenID scopes. Never Microsoft Graph scopes with these: Entra refuses scopes of
     * two resources in one request (AADSTS28000), and a Graph token does not open IMAP.
     */
    public static final Set<String> SCOPES = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access", "openid", "profile", "email")));

    /** App-only IMAP: Exchange Online's application permissions (IMAP.AccessAsApp), as consented for the app. */
    public static final Set<String> APP_ONLY_SCOPES = Set.of("https://outlook.office365.com/.default");

    /** What Exchange Online answers when the token is good but the app or account may not open the mailbox. */
    static final String NOT_CONNECTED = "User is authenticated but not connected";

    private static final ImapEndpoint IMAP = new ImapEndpoint("outlook.office365.com", 993);
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 30_000;
    private static final long CALL_TIMEOUT_SECONDS = 90;
    private static final Logger LOG = LoggerFactory.getLogger(EntraIdentityProvider.class);

    private final ProviderConfig config;
    private final Secret clientSecret;
    private final ProviderContext context;
    private final Optional<ClientCertificate> certificate;
    private final String authority;
    private final EntraErrors errors;

    /**
     * @throws IllegalArgumentException when the configuration cannot work (no tenant, a non-https authority, no
     *                                  client secret); the message names the key to fix
     */
    public EntraIdentityProvider(ProviderConfig config, Secret clientSecret, ProviderContext context) {
        this.config = config;
        this.clientSecret = clientSecret;
        this.context = context;
        this.authority = authorityOf(config);
        EntraSettings settings = config.settings(EntraSettings.class);
        String key = "providers." + config.name();
        this.certificate = settings.certificate().map(pem -> settings.clientCertificate(key + ".client-certificate"));
        if (certificate.isEmpty() && (clientSecret == null || clientSecret.isEmpty())) {
            throw new IllegalArgumentException(config.clientSecretKey() + " is empty: set the client secret's value"
                    + " from the app registration (Certificates & secrets), or configure " + key + ".client-certificate");
        }
        this.errors = new EntraErrors(config.name(), config.clientSecretKey());
    }

    /** {@code {authority}{tenant}/}, e.g. {@code https://login.microsoftonline.com/contoso.onmicrosoft.com/}. */
    static String authorityOf(ProviderConfig config) {
        String key = "providers." + config.name();
        EntraSettings settings = config.settings(EntraSettings.class);
        String tenant = Optional.of(settings.tenant().trim()).filter(t -> !t.isEmpty()).orElseThrow(() ->
                new IllegalArgumentException(key + ".tenant is missing: set the tenant id or domain of the app registration,"
                        + " e.g. contoso.onmicrosoft.com"));
        if (tenant.contains("/")) {
            throw new IllegalArgumentException(key + ".tenant must be a tenant id or domain, not a URL: " + tenant);
        }
        URI base = settings.authority();
        if (!"https".equalsIgnoreCase(base.getScheme()) || base.getHost() == null) {
            // msal4j refuses anything but https for an authority
            throw new IllegalArgumentException(key + ".authority must be an https URL such as "
                    + EntraSettings.DEFAULT_AUTHORITY + ", not " + base);
        }
        String text = base.toString();
        return (text.endsWith("/") ? text : text + "/") + tenant + "/";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImapEndpoint imapDefaults() {
        return IMAP;
    }

    @Override
    public URI authorizationUrl(AuthorizationRequest request) throws ProviderException {
        AuthorizationRequestUrlParameters.Builder parameters = AuthorizationRequestUrlParameters
                .builder(request.redirectUri().toString(), SCOPES)
                .state(request.state())
                .codeChallenge(request.pkce().challenge())
                .codeChallengeMethod(request.pkce().method())
                // select_account: under single sign-on the browser would otherwise silently pick whoever is signed in
                .prompt(Prompt.SELECT_ACCOUNT)
                .responseMode(ResponseMode.FORM_POST);
        if (request.loginHint() != null && !request.loginHint().isBlank()) {
            parameters.loginHint(request.loginHint());
        }
        try {
            return application().getAuthorizationRequestUrl(parameters.build()).toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("msal4j built an authorization URL that is not a URI", e);
        } catch (RuntimeException e) {
            throw errors.onRedeem(e);
        }
    }

    @Override
    public AuthorizedGrant redeem(AuthorizationCode code) throws ProviderException {
        ConfidentialClientApplication app = application();
        AuthorizationCodeParameters parameters = AuthorizationCodeParameters
                .builder(code.code().reveal(), code.redirectUri())
                .scopes(SCOPES)
                .codeVerifier(code.codeVerifier().reveal())
                .build();
        IAuthenticationResult result;
        try {
            result = await(app.acquireToken(parameters));
        } catch (ExecutionException | RuntimeException e) {
            throw errors.onRedeem(e);
        }
        String account = IdTokenAddress.of(result.idToken()).orElseThrow(() -> new AuthorizationFailedException("no_address",
                "Entra's ID token names no address for the account that signed in (no email, preferred_username or"
                        + " upn claim). Sign in with an account that has a mailbox address."));
        if (result.account() == null || result.account().homeAccountId() == null) {
            throw new AuthorizationFailedException("no_account", "Entra's answer carried no account id (client_info),"
                    + " so the grant could not be stored. Authorize again; if it persists, check providers."
                    + config.name() + ".authority.");
        }
        Grant grant = new EntraGrant(result.account().homeAccountId(), app.tokenCache().serialize()).toGrant();
        LOG.debug("Entra code redeemed for {} (home account {})", account, result.account().homeAccountId());
        return new AuthorizedGrant(grant, account, Optional.of(accessToken(result)));
    }

    @Override
    public TokenResponse accessToken(Grant grant) throws ProviderException {
        EntraGrant stored = EntraGrant.from(grant).orElseThrow(() -> new ReauthorizationRequiredException("unreadable_grant",
                "The stored grant is not an Entra token cache this version of Intake can read. Authorize the mailbox again."));
        ConfidentialClientApplication app = application();
        IAuthenticationResult result;
        try {
            app.tokenCache().deserialize(stored.tokenCache());
            IAccount account = await(app.getAccounts()).stream()
                    .filter(a -> stored.homeAccountId().equals(a.homeAccountId()))
                    .findFirst()
                    .orElseThrow(() -> new ReauthorizationRequiredException("account_not_in_grant",
                            "The stored grant holds no account with the id it names. Authorize the mailbox again."));
            SilentParameters parameters = SilentParameters.builder(SCOPES, account)
                    // the caller only asks when its in-memory token is near expiry, so a cached one would not do
                    .forceRefresh(true)
                    // msal4j otherwise rebuilds the URL from account.environment(), which has no port
                    .authorityUrl(authority)
                    .build();
            result = await(app.acquireTokenSilently(parameters));
        } catch (ReauthorizationRequiredException | TransientProviderException e) {
            throw e;
        } catch (ExecutionException | MalformedURLException | RuntimeException e) {
            throw errors.onRefresh(e);
        }
        String after = app.tokenCache().serialize();
        Optional<Grant> rotated = after.equals(stored.tokenCache())
                ? Optional.empty()
                : Optional.of(new EntraGrant(stored.homeAccountId(), after).toGrant());
        return new TokenResponse(accessToken(result), rotated);
    }

    @Override
    public boolean appOnlyUsesClientSecret() {
        return certificate.isEmpty();
    }

    /**
     * The client credentials grant for Exchange Online: the token carries the app's roles, not a user, so it opens any
     * mailbox Exchange lets the app's service principal open; the IMAP user names which one.
     */
    @Override
    public AccessToken appOnlyToken(String mailbox) throws ProviderException {
        ClientCredentialParameters parameters = ClientCredentialParameters.builder(APP_ONLY_SCOPES)
                // the app token cache of a fresh application is empty anyway; the caller caches the token itself
                .skipCache(true)
                .build();
        try {
            IAuthenticationResult result = await(application().acquireToken(parameters));
            LOG.debug("Entra app-only token issued for client {} with {}", config.clientId(),
                    certificate.map(c -> "certificate " + c.thumbprint()).orElse("the client secret"));
            return accessToken(result);
        } catch (ExecutionException | RuntimeException e) {
            ProviderException failure = errors.onAppOnly(e);
            if (failure instanceof ReauthorizationRequiredException) {
                // no grant to renew: whatever Entra refused is the app's configuration, which the operator fixes
                throw new ClientCredentialsRejectedException(failure.code().orElse(null), failure.getMessage(), failure);
            }
            throw failure;
        }
    }

    @Override
    public List<String> appOnlySetup(String mailbox) {
        return ExchangeRefusals.setup(mailbox, config.clientId());
    }

    @Override
    public Optional<String> explainImapRefusal(String serverAnswer, String mailbox, boolean appOnly) {
        return ExchangeRefusals.explain(serverAnswer, mailbox, appOnly, config.clientId());
    }

    @Override
    public AuthorizationFailedException explainCallbackError(String error, String errorDescription) {
        return errors.onCallback(error, errorDescription);
    }

    private AccessToken accessToken(IAuthenticationResult result) {
        return new AccessToken(Secret.of(result.accessToken()), result.expiresOnDate().toInstant());
    }

    /** A fresh client application for one call: its token cache holds only what that call loads into it. */
    private ConfidentialClientApplication application() {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(config.clientId(), credential())
                    .authority(authority)
                    // instance discovery is what sends msal4j to login.microsoftonline.com whatever the authority
                    .instanceDiscovery(false)
                    .validateAuthority(false)
                    .autoDetectRegion(false)
                    .logPii(false)
                    // Intake's scheduler backs off and retries; msal4j's own retry would block a worker for a second
                    .disableInternalRetries()
                    .connectTimeoutForDefaultHttpClient(CONNECT_TIMEOUT_MS)
                    .readTimeoutForDefaultHttpClient(READ_TIMEOUT_MS);
            context.sslSocketFactory().ifPresent(builder::sslSocketFactory);
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("providers." + config.name() + ".authority does not make a valid URL", e);
        }
    }

    /** The certificate when one is configured (what security teams ask for), else the client secret. */
    private IClientCredential credential() {
        return certificate.isPresent()
                ? ClientCredentialFactory.createFromCertificate(certificate.get().privateKey(), certificate.get().certificate())
                : ClientCredentialFactory.createFromSecret(clientSecret.reveal());
    }

    /** msal4j works asynchronously; Intake's callers are worker threads that wait, but not forever. */
    private static <T> T await(CompletableFuture<T> future) throws ExecutionException, TransientProviderException {
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new TransientProviderException("interrupted", "Intake stopped waiting for Entra because it is shutting down.", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TransientProviderException("timeout", "Entra did not answer within " + CALL_TIMEOUT_SECONDS
                    + " seconds. Intake will try again.", e);
        }
    }

    @Override
    public String toString() {
        return "EntraIdentityProvider[" + config.name() + ", authority=" + authority + ", clientId=" + config.clientId() + "]";
    }
}
