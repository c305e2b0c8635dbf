package dev.intake.provider.google;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ClientId;
import com.google.auth.oauth2.PKCEProvider;
import com.google.auth.oauth2.UserAuthorizer;
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
import dev.intake.provider.Pkce;
import dev.intake.provider.ProviderContext;
import dev.intake.provider.ProviderException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TokenResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google through google-auth-library: {@link UserAuthorizer} builds the authorization URL (with Intake's own PKCE
 * pair: the library's default verifier is longer than RFC 7636 allows), {@link GoogleTokenEndpoint} redeems codes and
 * refreshes. The grant is the refresh token itself; Google normally keeps it across refreshes, and when a refresh
 * does return a new one, that becomes the rotated grant.
 */
public final class GoogleIdentityProvider implements IdentityProvider {

    public static final String TYPE = "google";

    /** App-only access through a service account: Gmail's IMAP scope, as the domain-wide delegation grants it. */
    public static final List<String> APP_ONLY_SCOPES = List.of("https://mail.google.com/");

    /** Full IMAP access to Gmail plus the OpenID scopes that put the account's address into the ID token. */
    public static final List<String> SCOPES = List.of("https://mail.google.com/", "openid", "email");

    private static final ImapEndpoint IMAP = new ImapEndpoint("imap.gmail.com", 993);
    private static final Logger LOG = LoggerFactory.getLogger(GoogleIdentityProvider.class);

    private final ProviderConfig config;
    private final Secret clientSecret;
    private final ProviderContext context;
    private final URI authUri;
    private final URI tokenUri;
    private final HttpTransportFactory transports;
    private final GoogleErrors errors;
    private final GoogleTokenEndpoint tokenEndpoint;
    private final Optional<ServiceAccount> serviceAccount;

    /**
     * @throws IllegalArgumentException when the configuration cannot work (no client secret, endpoints that are not
     *                                  http(s) URLs); the message names the key to fix
     */
    public GoogleIdentityProvider(ProviderConfig config, Secret clientSecret, ProviderContext context) {
        this.config = config;
        this.clientSecret = clientSecret;
        this.context = context;
        String key = "providers." + config.name();
        GoogleSettings settings = config.settings(GoogleSettings.class);
        if ((clientSecret == null || clientSecret.isEmpty()) && settings.serviceAccountKey().isEmpty()) {
            throw new IllegalArgumentException(config.clientSecretKey() + " is empty: set the OAuth client's secret"
                    + " from the Google Cloud console (APIs & Services, Credentials), or configure " + key
                    + ".service-account-key for app-only access");
        }
        this.authUri = httpUrl(settings.authUri(), key + ".auth-uri");
        this.tokenUri = httpUrl(settings.tokenUri(), key + ".token-uri");
        // one transport per provider: NetHttpTransport is thread-safe and pools nothing that outlives a request
        NetHttpTransport.Builder transport = new NetHttpTransport.Builder();
        context.sslSocketFactory().ifPresent(transport::setSslSocketFactory);
        NetHttpTransport shared = transport.build();
        this.transports = () -> shared;
        this.errors = new GoogleErrors(config.name(), config.clientSecretKey());
        this.serviceAccount = settings.serviceAccountKey()
                .map(json -> ServiceAccount.read(json, key + ".service-account-key", transports));
        this.tokenEndpoint = new GoogleTokenEndpoint(tokenUri, transports, config.clientId(), clientSecret, errors);
    }

    private static URI httpUrl(URI uri, String key) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException(key + " must be an https URL (http only for a local test server), not " + uri);
        }
        return uri;
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
    public URI authorizationUrl(AuthorizationRequest request) {
        UserAuthorizer authorizer = UserAuthorizer.newBuilder()
                .setClientId(ClientId.of(config.clientId(), clientSecret.reveal()))
                .setScopes(SCOPES)
                .setCallbackUri(request.redirectUri())
                .setUserAuthUri(authUri)
                .setTokenServerUri(tokenUri)
                .setHttpTransportFactory(transports)
                .setPKCEProvider(new IntakePkce(request.pkce()))
                .build();
        String loginHint = request.loginHint() == null || request.loginHint().isBlank() ? null : request.loginHint();
        // UserAuthorizer adds access_type=offline, include_granted_scopes=true and prompt=consent; consent makes Google
        // issue a refresh token every time, select_account stops single sign-on from picking the wrong account
        try {
            return authorizer.getAuthorizationUrl(loginHint, request.state(), null,
                    Map.of("prompt", "consent select_account")).toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("google-auth-library built an authorization URL that is not a URI", e);
        }
    }

    @Override
    public AuthorizedGrant redeem(AuthorizationCode code) throws ProviderException {
        GoogleTokenEndpoint.Answer answer = tokenEndpoint.redeem(code.code(), code.redirectUri(), code.codeVerifier());
        String account = answer.idToken().flatMap(GoogleIdentityProvider::email).orElseThrow(() ->
                new AuthorizationFailedException("no_address", "Google's ID token names no email address for the"
                        + " account that signed in. Authorize again; the consent must include the email scope."));
        Secret refreshToken = answer.refreshToken().orElseThrow(() -> new AuthorizationFailedException("no_refresh_token",
                "Google issued no refresh token, so Intake could not keep the mailbox authorized. Remove Intake's access"
                        + " in the Google account (Security, Third-party access), then authorize again."));
        LOG.debug("Google code redeemed for {}", account);
        return new AuthorizedGrant(Grant.of(refreshToken.reveal()), account, Optional.of(accessToken(answer)));
    }

    @Override
    public TokenResponse accessToken(Grant grant) throws ProviderException {
        if (grant.material().isBlank()) {
            throw new ReauthorizationRequiredException("empty_grant",
                    "The stored grant is empty. Authorize the mailbox again.");
        }
        GoogleTokenEndpoint.Answer answer = tokenEndpoint.refresh(Secret.of(grant.material()));
        Optional<Grant> rotated = answer.refreshToken()
                .filter(token -> !token.reveal().equals(grant.material()))
                .map(token -> Grant.of(token.reveal()));
        return new TokenResponse(accessToken(answer), rotated);
    }

    /**
     * The JWT bearer grant of a service account with domain-wide delegation: google-auth-library signs an assertion
     * with the account's key whose {@code sub} is the mailbox, and Google answers with a token for that mailbox.
     */
    /** A service account signs its own assertion: the OAuth client's secret plays no part. */
    @Override
    public boolean appOnlyUsesClientSecret() {
        return false;
    }

    @Override
    public AccessToken appOnlyToken(String mailbox) throws ProviderException {
        ServiceAccount account = serviceAccount.orElseThrow(() -> new ClientCredentialsRejectedException(
                "no_service_account", "App-only access at Google needs a service account with domain-wide delegation:"
                        + " set providers." + config.name() + ".service-account-key to its JSON key, e.g."
                        + " ${file:intake-google-sa.json}."));
        try {
            com.google.auth.oauth2.AccessToken token = account.delegatedTo(mailbox, APP_ONLY_SCOPES, tokenUri, transports)
                    .refreshAccessToken();
            LOG.debug("Google service account {} obtained a token for {}", account.email(), mailbox);
            Instant expires = token.getExpirationTime() == null
                    ? Instant.now(context.clock()).plusSeconds(3600) : token.getExpirationTime().toInstant();
            return new AccessToken(Secret.of(token.getTokenValue()), expires);
        } catch (IOException e) {
            throw errors.onServiceAccount(e, account.clientId(), account.email(), mailbox);
        }
    }

    @Override
    public List<String> appOnlySetup(String mailbox) {
        return serviceAccount.map(account -> List.of(
                "In the Google Admin console: Security, Access and data control, API controls, Manage Domain Wide"
                        + " Delegation, Add new: client ID " + account.clientId() + " (the service account "
                        + account.email() + ") with the OAuth scope https://mail.google.com/.",
                "Enable IMAP for " + mailbox + " (Gmail settings, or for the domain in the Admin console); then use"
                        + " Test connection."))
                .orElse(List.of());
    }

    @Override
    public AuthorizationFailedException explainCallbackError(String error, String errorDescription) {
        return errors.onCallback(error, errorDescription);
    }

    private AccessToken accessToken(GoogleTokenEndpoint.Answer answer) {
        return new AccessToken(answer.accessToken(), Instant.now(context.clock()).plusSeconds(answer.expiresInSeconds()));
    }

    /**
     * The ID token's {@code email}, lower case. The signature is not checked: the token came straight from the token
     * endpoint over TLS, which OpenID Connect Core 3.1.3.7 accepts in its place.
     */
    private static Optional<String> email(String idToken) {
        try {
            Object email = JsonWebSignature.parse(GsonFactory.getDefaultInstance(), idToken).getPayload().get("email");
            return email instanceof String s && s.indexOf('@') > 0
                    ? Optional.of(s.trim().toLowerCase(Locale.ROOT)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "GoogleIdentityProvider[" + config.name() + ", tokenUri=" + tokenUri + ", clientId=" + config.clientId() + "]";
    }

    /** Intake's PKCE pair (32 random bytes, S256) in the shape UserAuthorizer asks for. */
    private record IntakePkce(Pkce pkce) implements PKCEProvider {

        @Override
        public String getCodeChallenge() {
            return pkce.challenge();
        }

        @Override
        public String getCodeChallengeMethod() {
            return pkce.method();
        }

        @Override
        public String getCodeVerifier() {
            return pkce.verifier().reveal();
        }
    }
}
