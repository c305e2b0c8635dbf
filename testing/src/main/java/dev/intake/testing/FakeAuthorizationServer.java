package dev.intake.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.intake.provider.Pkce;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A local stand-in for Microsoft Entra's v2 endpoints or Google's OAuth endpoints, one flavour per instance, spoken
 * to over real HTTP(S) by the real libraries (msal4j, google-auth-library) and by {@link Browser}.
 *
 * <p>It keeps the rules a real authorization server enforces and that Intake relies on: codes are single use and
 * short-lived, bound to the redirect URI and the PKCE S256 challenge; client id and secret are checked on every token
 * request (the accepted secrets can change at any time, as in a rotation); refresh tokens are only issued for offline
 * access and, when rotation is on, the old one is refused once a new one was issued; ID tokens only carry what the
 * scopes asked for. Errors have the bodies the real services send, so error mapping is tested against realistic input.
 *
 * <p>App-only access as the real services grant it: Entra's client credentials grant with the client secret or a
 * client assertion signed with a certificate the test "uploaded" ({@link #acceptClientCertificates}), its signature,
 * audience, issuer, subject and thumbprint checked; Google's JWT bearer grant of a service account
 * ({@link #serviceAccount}), its signature checked against the account's public key, and a token issued for the
 * {@code sub} only when domain-wide delegation was granted for the scope ({@link #allowDomainWideDelegation}).
 *
 * <p>Entra: HTTPS with {@link TestCertificates} (msal4j refuses {@code http://} authorities), paths
 * {@code /{tenant}/oauth2/v2.0/authorize} and {@code /{tenant}/oauth2/v2.0/token}. Google: HTTP (or HTTPS with
 * {@link #googleOverHttps()}), {@code /o/oauth2/v2/auth} and {@code /token}. Any other path is recorded and answered
 * 404, so a test can prove a library asked for nothing else.
 */
public final class FakeAuthorizationServer implements AutoCloseable {

    /** Failures the token endpoint can be told to answer with, each with the provider's real error body. */
    public enum Failure {
        /** Entra AADSTS700082 (refresh token expired after inactivity); Google "Token has been expired or revoked." */
        INVALID_GRANT,
        /** Entra AADSTS7000215 (wrong client secret); Google 401 invalid_client. */
        INVALID_CLIENT,
        /** Entra AADSTS7000222 (client secret expired); Google answers as for {@link #INVALID_CLIENT}. */
        CLIENT_SECRET_EXPIRED,
        /** HTTP 500. */
        SERVER_ERROR,
        /** HTTP 429 with Retry-After. */
        THROTTLED
    }

    /** Claims of the ID token that can carry the signed-in account's address. */
    public enum AddressClaim { EMAIL, PREFERRED_USERNAME, UPN }

    /**
     * A request the fake received.
     *
     * @param params query parameters merged with the form body (the body wins)
     */
    public record RecordedRequest(String method, String path, Map<String, String> params,
                                  Map<String, List<String>> headers) {

        public String param(String name) {
            return params.get(name);
        }
    }

    private enum Flavour { ENTRA, GOOGLE }

    private static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");
    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    private static final String CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final Flavour flavour;
    private final String tenant;
    private final String tenantId;
    private final HttpServer server;
    private final String scheme;
    private final JwtSigner signer = new JwtSigner();
    private final SecureRandom random = new SecureRandom();

    private String clientId = "intake-test-client";
    private Set<String> acceptedSecrets = Set.of("intake-test-secret");
    private String user = "alice@example.com";
    private Set<AddressClaim> addressClaims;
    private Duration accessTokenLifetime = Duration.ofHours(1);
    private String fixedAccessToken;
    private boolean rotateRefreshTokens;
    private Duration codeLifetime = CODE_LIFETIME;
    private String[] authorizationFailure;
    private final Deque<TokenFailure> tokenFailures = new ArrayDeque<>();
    private List<X509Certificate> acceptedCertificates = List.of();
    private final Map<String, TestServiceAccount> serviceAccounts = new LinkedHashMap<>();
    private final Map<String, Set<String>> delegations = new HashMap<>();
    private final List<String> appOnlySubjects = new ArrayList<>();

    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Map<String, Integer> tokenRequestsByGrant = new HashMap<>();
    private final List<String> issuedAccessTokens = new ArrayList<>();
    private final List<String> issuedRefreshTokens = new ArrayList<>();
    private final List<String> issuedCodes = new ArrayList<>();
    private final Map<String, IssuedCode> codes = new HashMap<>();
    private final Map<String, Session> liveRefreshTokens = new LinkedHashMap<>();
    private final Set<String> revokedRefreshTokens = new HashSet<>();

    private record IssuedCode(String clientId, String redirectUri, String challenge, String challengeMethod,
                              String scope, String nonce, boolean offline, Instant expiresAt) {
    }

    private record Session(String clientId, String user, Set<AddressClaim> claims, String scope) {
    }

    private record TokenFailure(int status, String error, String description) {
    }

    private FakeAuthorizationServer(Flavour flavour, String tenant, boolean https) {
        this.flavour = flavour;
        this.tenant = tenant;
        this.tenantId = tenant == null ? null : UUID.nameUUIDFromBytes(tenant.getBytes(StandardCharsets.UTF_8)).toString();
        this.addressClaims = flavour == Flavour.ENTRA
                ? EnumSet.of(AddressClaim.EMAIL, AddressClaim.PREFERRED_USERNAME)
                : EnumSet.of(AddressClaim.EMAIL);
        this.rotateRefreshTokens = flavour == Flavour.ENTRA;
        this.scheme = https ? "https" : "http";
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (https) {
                HttpsServer tls = HttpsServer.create(address, 0);
                tls.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.get().serverContext()));
                this.server = tls;
            } else {
                this.server = HttpServer.create(address, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a local port for the fake authorization server", e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Entra's v2 endpoints for {@code tenant} (a domain or id), over HTTPS with the test certificate. */
    public static FakeAuthorizationServer entra(String tenant) {
        return new FakeAuthorizationServer(Flavour.ENTRA, tenant, true);
    }

    /** Google's OAuth endpoints over plain HTTP. */
    public static FakeAuthorizationServer google() {
        return new FakeAuthorizationServer(Flavour.GOOGLE, null, false);
    }

    /** Google's OAuth endpoints over HTTPS with the test certificate, to test a provider's custom trust. */
    public static FakeAuthorizationServer googleOverHttps() {
        return new FakeAuthorizationServer(Flavour.GOOGLE, null, true);
    }

    // ---- where it is ----

    public int port() {
        return server.getAddress().getPort();
    }

    /** Entra: the authority base as the provider configuration names it, {@code https://localhost:PORT/}. */
    public URI authority() {
        return URI.create(scheme + "://localhost:" + port() + "/");
    }

    public URI authUri() {
        return authority().resolve(flavour == Flavour.ENTRA ? tenant + "/oauth2/v2.0/authorize" : "o/oauth2/v2/auth");
    }

    public URI tokenUri() {
        return authority().resolve(flavour == Flavour.ENTRA ? tenant + "/oauth2/v2.0/token" : "token");
    }

    /** Entra: the tenant in the paths. */
    public String tenant() {
        return tenant;
    }

    /** Entra: the tenant's id (a GUID), as the {@code tid} claim and {@code client_info.utid} carry it. */
    public String tenantId() {
        return tenantId;
    }

    // ---- configuration (any time) ----

    public synchronized FakeAuthorizationServer clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    public synchronized String clientId() {
        return clientId;
    }

    /** The client secrets the token endpoint accepts from now on (a rotation test changes them mid-test). */
    public synchronized FakeAuthorizationServer acceptClientSecrets(String... secrets) {
        this.acceptedSecrets = Set.of(secrets);
        return this;
    }

    /**
     * Entra: the certificates uploaded to the app registration from now on; a client assertion must be signed with
     * the key of one of them (a rotation test changes them mid-test).
     */
    public synchronized FakeAuthorizationServer acceptClientCertificates(X509Certificate... certificates) {
        this.acceptedCertificates = List.of(certificates);
        return this;
    }

    /** Google: a service account of the project, with a fresh key pair; its JSON key is {@link TestServiceAccount#jsonKey}. */
    public synchronized TestServiceAccount serviceAccount(String email) {
        TestServiceAccount account = new TestServiceAccount(email,
                String.format(Locale.ROOT, "1%020d", Integer.toUnsignedLong(email.hashCode()) + serviceAccounts.size()));
        serviceAccounts.put(account.keyId(), account);
        return account;
    }

    /** Google: a Workspace admin grants domain-wide delegation to the account's client ID for these scopes. */
    public synchronized FakeAuthorizationServer allowDomainWideDelegation(TestServiceAccount account, String... scopes) {
        delegations.put(account.clientId(), Set.of(scopes));
        return this;
    }

    /** Google: the admin removes the account's domain-wide delegation. */
    public synchronized FakeAuthorizationServer revokeDomainWideDelegation(TestServiceAccount account) {
        delegations.remove(account.clientId());
        return this;
    }

    /** The account the authorize endpoint signs in (and auto-approves) from now on. */
    public synchronized FakeAuthorizationServer signInAs(String address) {
        this.user = address;
        return this;
    }

    /** Which address claims the ID token carries; none at all for an account without an address. */
    public synchronized FakeAuthorizationServer idTokenClaims(AddressClaim... claims) {
        this.addressClaims = claims.length == 0 ? EnumSet.noneOf(AddressClaim.class) : EnumSet.copyOf(Arrays.asList(claims));
        return this;
    }

    public synchronized FakeAuthorizationServer accessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
        return this;
    }

    /** Every access token issued from now on is this value (so GreenMail can be given it as the password). */
    public synchronized FakeAuthorizationServer fixedAccessToken(String token) {
        this.fixedAccessToken = token;
        return this;
    }

    /** Rotation on: each refresh issues a new refresh token and the old one is refused from then on. */
    public synchronized FakeAuthorizationServer rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
        return this;
    }

    /** How long a code can be redeemed (default five minutes); zero makes every code arrive expired. */
    public synchronized FakeAuthorizationServer codeLifetime(Duration lifetime) {
        this.codeLifetime = lifetime;
        return this;
    }

    /** The next authorization request is answered with this error (to the redirect URI) instead of a code. */
    public synchronized FakeAuthorizationServer failAuthorization(String error, String errorDescription) {
        this.authorizationFailure = new String[] {error, errorDescription};
        return this;
    }

    /** The next {@code count} token requests fail this way, whatever they ask for. */
    public synchronized FakeAuthorizationServer failTokenRequests(int count, Failure failure) {
        for (int i = 0; i < count; i++) {
            tokenFailures.add(tokenFailure(failure));
        }
        return this;
    }

    /**
     * The next {@code count} token requests fail with this status, {@code error} and {@code error_description}; for
     * Entra the {@code error_codes} are taken from the AADSTS number in the description.
     */
    public synchronized FakeAuthorizationServer failTokenRequests(int count, int status, String error, String description) {
        for (int i = 0; i < count; i++) {
            tokenFailures.add(new TokenFailure(status, error, description));
        }
        return this;
    }

    /** Every refresh token issued so far dies, as when a user resets the password or an admin revokes sessions. */
    public synchronized FakeAuthorizationServer revokeAll() {
        revokedRefreshTokens.addAll(liveRefreshTokens.keySet());
        liveRefreshTokens.clear();
        return this;
    }

    // ---- records ----

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Requests to the authorize endpoint. */
    public synchronized List<RecordedRequest> authorizationRequests() {
        String path = authUri().getPath();
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Token requests with this {@code grant_type}, failed ones included. */
    public synchronized int tokenRequests(String grantType) {
        return tokenRequestsByGrant.getOrDefault(grantType, 0);
    }

    public synchronized List<String> issuedAccessTokens() {
        return List.copyOf(issuedAccessTokens);
    }

    public synchronized List<String> issuedRefreshTokens() {
        return List.copyOf(issuedRefreshTokens);
    }

    public synchronized List<String> issuedCodes() {
        return List.copyOf(issuedCodes);
    }

    /** Google: the {@code sub} of each service-account token issued, in order. */
    public synchronized List<String> appOnlySubjects() {
        return List.copyOf(appOnlySubjects);
    }

    /** The refresh token issued last that is still accepted, or null. */
    public synchronized String currentRefreshToken() {
        String current = null;
        for (String token : liveRefreshTokens.keySet()) {
            current = token;
        }
        return current;
    }

    /** Every secret value the fake handed out or accepted: for tests that check nothing leaks. */
    public synchronized Set<String> secretsInPlay() {
        Set<String> all = new LinkedHashSet<>();
        all.addAll(issuedAccessTokens);
        all.addAll(issuedRefreshTokens);
        all.addAll(issuedCodes);
        all.addAll(acceptedSecrets);
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            synchronized (this) {
                RecordedRequest request = record(exchange);
                response = route(request);
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private record Response(int status, String contentType, String body, Map<String, String> headers) {

        static Response json(int status, Map<String, Object> json) {
            return new Response(status, "application/json; charset=utf-8",
                    new String(JwtSigner.json(json), StandardCharsets.UTF_8), Map.of());
        }

        static Response html(int status, String html) {
            return new Response(status, "text/html; charset=utf-8", html, Map.of());
        }

        static Response redirect(URI location) {
            return new Response(302, "text/html; charset=utf-8", "", Map.of("Location", location.toString()));
        }

        Response withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Response(status, contentType, body, all);
        }
    }

    private RecordedRequest record(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>(FormEncoding.parse(exchange.getRequestURI().getRawQuery()));
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
                params.putAll(FormEncoding.parse(body));
            }
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Collections.unmodifiableMap(params), Collections.unmodifiableMap(headers));
        requests.add(request);
        return request;
    }

    private Response route(RecordedRequest request) {
        String path = request.path();
        if (path.equals(authUri().getPath())) {
            return authorize(request);
        }
        if (path.equals(tokenUri().getPath()) && request.method().equals("POST")) {
            // Entra echoes msal4j's client-request-id; the JDK server capitalises header names and msal4j looks the
            // echo up case-sensitively, so msal4j logs (at INFO) that the correlation ids differ. Harmless.
            return token(request);
        }
        if (path.equals(keysPath())) {
            return Response.json(200, signer.jwks());
        }
        return Response.json(404, Map.of("error", "not_found", "error_description", "The fake has no " + path));
    }

    private String keysPath() {
        return flavour == Flavour.ENTRA ? "/" + tenant + "/discovery/v2.0/keys" : "/oauth2/v3/certs";
    }

    // ---- authorize ----

    private Response authorize(RecordedRequest request) {
        String redirectUri = request.param("redirect_uri");
        if (!clientId.equals(request.param("client_id")) || redirectUri == null) {
            // a real server shows its own error page here: it cannot trust the redirect URI of an unknown client
            return Response.html(400, "<html><body><p>" + html(flavour == Flavour.ENTRA
                    ? "AADSTS700016: Application with identifier '" + request.param("client_id")
                            + "' was not found in the directory '" + tenant + "'."
                    : "Error 401: invalid_client. The OAuth client was not found.") + "</p></body></html>");
        }
        String state = request.param("state");
        Map<String, String> answer = new LinkedHashMap<>();
        String[] failure = authorizationFailure;
        authorizationFailure = null;
        String scopeProblem = flavour == Flavour.ENTRA ? mixedResources(request.param("scope")) : null;
        if (failure != null) {
            answer.put("error", failure[0]);
            answer.put("error_description", failure[1]);
        } else if (scopeProblem != null) {
            answer.put("error", "invalid_request");
            answer.put("error_description", scopeProblem);
        } else if (!"code".equals(request.param("response_type"))) {
            answer.put("error", "unsupported_response_type");
            answer.put("error_description", "response_type must be code");
        } else {
            String code = issueCode(request);
            answer.put("code", code);
        }
        if (state != null) {
            answer.put("state", state);
        }
        if (flavour == Flavour.ENTRA) {
            if (answer.containsKey("code")) {
                answer.put("session_state", UUID.randomUUID().toString());
            }
            if ("form_post".equals(request.param("response_mode"))) {
                return Response.html(200, autoPostForm(redirectUri, answer));
            }
        } else if (answer.containsKey("code")) {
            answer.put("scope", request.param("scope"));
            answer.put("authuser", "0");
            answer.put("prompt", "consent");
        }
        return Response.redirect(FormEncoding.withQuery(URI.create(redirectUri), answer));
    }

    private String issueCode(RecordedRequest request) {
        String code = (flavour == Flavour.ENTRA ? "1.A" : "4/0A") + randomToken();
        boolean offline = flavour == Flavour.ENTRA
                ? scopes(request.param("scope")).contains("offline_access")
                : "offline".equals(request.param("access_type"));
        codes.put(code, new IssuedCode(request.param("client_id"), request.param("redirect_uri"),
                request.param("code_challenge"), request.param("code_challenge_method"), request.param("scope"),
                request.param("nonce"), offline, Instant.now().plus(codeLifetime)));
        issuedCodes.add(code);
        return code;
    }

    /** Entra's form_post answer: a page whose script posts the result to the redirect URI. */
    private static String autoPostForm(String action, Map<String, String> fields) {
        StringBuilder page = new StringBuilder("<html><head><title>Working...</title></head><body>")
                .append("<form method=\"POST\" name=\"hiddenform\" action=\"").append(html(action)).append("\">");
        fields.forEach((name, value) -> page.append("<input type=\"hidden\" name=\"").append(html(name))
                .append("\" value=\"").append(html(value)).append("\" />"));
        return page.append("<noscript><p>Script is disabled. Click Submit to continue.</p>")
                .append("<input type=\"submit\" value=\"Submit\" /></noscript></form>")
                .append("<script language=\"javascript\">document.forms[0].submit();</script></body></html>")
                .toString();
    }

    // ---- token ----

    private Response token(RecordedRequest request) {
        String grantType = String.valueOf(request.param("grant_type"));
        tokenRequestsByGrant.merge(grantType, 1, Integer::sum);
        TokenFailure injected = tokenFailures.poll();
        if (injected != null) {
            return error(injected);
        }
        if (flavour == Flavour.GOOGLE && JWT_BEARER.equals(grantType)) {
            return serviceAccountToken(request);
        }
        String[] credentials = clientCredentials(request);
        if (!clientId.equals(credentials[0])) {
            return flavour == Flavour.ENTRA
                    ? error(400, "unauthorized_client", "AADSTS700016: Application with identifier '" + credentials[0]
                            + "' was not found in the directory '" + tenant + "'. This can happen if the application has"
                            + " not been installed by the administrator of the tenant or consented to by any user in the tenant.")
                    : error(401, "invalid_client", "The OAuth client was not found.");
        }
        if (flavour == Flavour.ENTRA && request.param("client_assertion") != null) {
            Response refused = checkClientAssertion(request);
            if (refused != null) {
                return refused;
            }
        } else if (credentials[1] == null || !acceptedSecrets.contains(credentials[1])) {
            return error(tokenFailure(Failure.INVALID_CLIENT));
        }
        return switch (grantType) {
            case "authorization_code" -> redeemCode(request);
            case "refresh_token" -> refresh(request);
            case "client_credentials" -> flavour == Flavour.ENTRA ? appOnlyToken(request)
                    : error(400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
            default -> error(400, "unsupported_grant_type", flavour == Flavour.ENTRA
                    ? "AADSTS70003: The app requested an unsupported grant type '" + grantType + "'." : "Invalid grant_type: " + grantType);
        };
    }

    /** client id and secret from the body (client_secret_post) or the Authorization header (client_secret_basic). */
    private static String[] clientCredentials(RecordedRequest request) {
        String authorization = first(request.headers().get("Authorization"));
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                // RFC 6749 2.3.1: id and secret are form-encoded before they are joined
                return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
            }
        }
        return new String[] {request.param("client_id"), request.param("client_secret")};
    }

    // ---- app-only ----

    /** Entra's checks of a client assertion (RFC 7523 as Entra applies it), with Entra's answers. */
    private Response checkClientAssertion(RecordedRequest request) {
        if (!CLIENT_ASSERTION_TYPE.equals(request.param("client_assertion_type"))) {
            return error(400, "invalid_request", "AADSTS50027: JWT token is invalid or malformed (client_assertion_type).");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(request.param("client_assertion"));
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return error(400, "invalid_request", "AADSTS50027: JWT token is invalid or malformed.");
        }
        X509Certificate certificate = acceptedCertificates.stream().filter(c -> thumbprintMatches(jwt.getHeader(), c))
                .findFirst().orElse(null);
        if (certificate == null) {
            return error(401, "invalid_client", "AADSTS700027: The certificate with identifier used to sign the client"
                    + " assertion is not registered on application. [Reason - The key was not found.]");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier((RSAPublicKey) certificate.getPublicKey()))) {
                return error(401, "invalid_client", "AADSTS700027: Client assertion contains an invalid signature.");
            }
        } catch (JOSEException e) {
            return error(401, "invalid_client", "AADSTS700027: Client assertion failed signature validation.");
        }
        if (!claims.getAudience().contains(tokenUri().toString())) {
            return error(401, "invalid_client", "AADSTS700016: The audience of the client assertion is not this token"
                    + " endpoint (" + claims.getAudience() + ").");
        }
        if (!clientId.equals(claims.getIssuer()) || !clientId.equals(claims.getSubject())) {
            return error(401, "invalid_client", "AADSTS700021: Client assertion application identifier doesn't match"
                    + " 'client_id' parameter.");
        }
        if (expired(claims)) {
            return error(401, "invalid_client", "AADSTS700024: Client assertion is not within its valid time range.");
        }
        return null;
    }

    /** Nimbus speaks java.util.Date; only the instant is used. */
    @SuppressWarnings("JavaUtilDate")
    private static boolean expired(JWTClaimsSet claims) {
        return claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().isBefore(Instant.now());
    }

    /**
     * Entra finds the certificate by the header's SHA-1 ({@code x5t}) or SHA-256 ({@code x5t#S256}) thumbprint.
     * The bytes are compared: msal4j writes them in standard base64 rather than base64url, which Entra accepts.
     */
    @SuppressWarnings("deprecation") // x5t is SHA-1 by definition; Entra still reads it
    private static boolean thumbprintMatches(JWSHeader header, X509Certificate certificate) {
        try {
            byte[] der = certificate.getEncoded();
            return sameBytes(header.getX509CertThumbprint(), MessageDigest.getInstance("SHA-1").digest(der))
                    || sameBytes(header.getX509CertSHA256Thumbprint(), MessageDigest.getInstance("SHA-256").digest(der));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean sameBytes(Base64URL written, byte[] digest) {
        return written != null && MessageDigest.isEqual(written.decode(), digest);
    }

    /** Entra's client credentials grant: only a resource's {@code .default} scope; no refresh token, no ID token. */
    private Response appOnlyToken(RecordedRequest request) {
        // msal4j adds the OpenID scopes to every request; Entra ignores them in this grant
        Set<String> scopes = scopes(request.param("scope")).stream().filter(scope -> !OIDC_SCOPES.contains(scope))
                .collect(Collectors.toSet());
        if (scopes.size() != 1 || !scopes.iterator().next().endsWith("/.default")) {
            return error(400, "invalid_scope", "AADSTS1002012: The provided value for scope " + request.param("scope")
                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to the"
                    + " resource identifier (application ID URI).");
        }
        return bearer(Map.of("ext_expires_in", accessTokenLifetime.toSeconds()));
    }

    /** Google's JWT bearer grant of a service account with domain-wide delegation. */
    private Response serviceAccountToken(RecordedRequest request) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(String.valueOf(request.param("assertion")));
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return error(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a"
                    + " reasonable timeframe.");
        }
        TestServiceAccount account = serviceAccounts.get(jwt.getHeader().getKeyID());
        try {
            if (account == null || !account.email().equals(claims.getIssuer())
                    || !jwt.verify(new RSASSAVerifier(account.publicKey()))) {
                return error(400, "invalid_grant", "Invalid JWT Signature.");
            }
        } catch (JOSEException e) {
            return error(400, "invalid_grant", "Invalid JWT Signature.");
        }
        // google-auth-library addresses the assertion to Google's token endpoint whatever URL it posts it to
        if (!claims.getAudience().contains(tokenUri().toString())
                && !claims.getAudience().contains("https://oauth2.googleapis.com/token")) {
            return error(400, "invalid_grant", "Invalid JWT: Failed audience check.");
        }
        if (expired(claims)) {
            return error(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a"
                    + " reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }
        Object scope = claims.getClaim("scope");
        Set<String> granted = delegations.getOrDefault(account.clientId(), Set.of());
        String subject = claims.getSubject();
        if (subject != null && (scope == null || !granted.containsAll(scopes(scope.toString())))) {
            return error(401, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this"
                    + " method, or client not authorized for any of the scopes requested.");
        }
        appOnlySubjects.add(String.valueOf(subject));
        return bearer(Map.of());
    }

    private Response bearer(Map<String, Object> extra) {
        String accessToken = fixedAccessToken != null ? fixedAccessToken
                : (flavour == Flavour.ENTRA ? "eyJ0.App" : "ya29.c.") + randomToken();
        issuedAccessTokens.add(accessToken);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("expires_in", accessTokenLifetime.toSeconds());
        body.putAll(extra);
        body.put("access_token", accessToken);
        return Response.json(200, body);
    }

    private Response redeemCode(RecordedRequest request) {
        String value = request.param("code");
        IssuedCode code = value == null ? null : codes.remove(value);
        if (code == null) {
            return issuedCodes.contains(value)
                    ? invalidGrant("AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.", "Bad Request")
                    : invalidGrant("AADSTS9002313: Invalid request. Request is malformed or invalid.", "Malformed auth code.");
        }
        if (Instant.now().isAfter(code.expiresAt())) {
            return invalidGrant("AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.", "Bad Request");
        }
        if (!code.clientId().equals(request.param("client_id")) && request.param("client_id") != null) {
            return invalidGrant("AADSTS70000: Provided grant is invalid or malformed.", "Bad Request");
        }
        if (!code.redirectUri().equals(request.param("redirect_uri"))) {
            return flavour == Flavour.ENTRA
                    ? error(400, "invalid_grant", "AADSTS500117: The reply uri specified in the request doesn't match the reply uri of the authorization request.")
                    : error(400, "redirect_uri_mismatch", "Bad Request");
        }
        String verifier = request.param("code_verifier");
        if (code.challenge() != null) {
            if (verifier == null) {
                return invalidGrant("AADSTS50148: The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.", "Missing code verifier.");
            }
            String computed = "S256".equals(code.challengeMethod()) ? Pkce.challengeOf(verifier) : verifier;
            if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), code.challenge().getBytes(StandardCharsets.US_ASCII))) {
                return invalidGrant("AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.", "Invalid code verifier.");
            }
        } else if (verifier != null) {
            return invalidGrant("AADSTS50148: The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.", "code_verifier or verifier is not needed.");
        }
        String scope = flavour == Flavour.ENTRA && request.param("scope") != null ? request.param("scope") : code.scope();
        Session session = new Session(code.clientId(), user, Set.copyOf(addressClaims), scope);
        return tokens(session, code.offline() ? newRefreshToken(session) : null, code.nonce());
    }

    private Response refresh(RecordedRequest request) {
        String presented = request.param("refresh_token");
        Session session = presented == null ? null : liveRefreshTokens.get(presented);
        if (session == null) {
            if (revokedRefreshTokens.contains(presented)) {
                return invalidGrant("AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '"
                        + Instant.now().minus(Duration.ofDays(3)) + "' and the TokensValidFrom date (before which tokens are not valid) for this user is '" + Instant.now() + "'.",
                        "Token has been expired or revoked.");
            }
            return invalidGrant("AADSTS9002313: Invalid request. Request is malformed or invalid. The provided value for the 'refresh_token' is not valid.",
                    "Token has been expired or revoked.");
        }
        if (!session.clientId().equals(clientId)) {
            return invalidGrant("AADSTS70000: Provided grant is invalid or malformed.", "Unauthorized");
        }
        String scopeProblem = flavour == Flavour.ENTRA ? mixedResources(request.param("scope")) : null;
        if (scopeProblem != null) {
            return error(400, "invalid_scope", scopeProblem);
        }
        String refreshToken = null;
        if (rotateRefreshTokens) {
            liveRefreshTokens.remove(presented);
            refreshToken = newRefreshToken(session);
        }
        return tokens(session, refreshToken, null);
    }

    private String newRefreshToken(Session session) {
        String token = (flavour == Flavour.ENTRA ? "0.A" : "1//0") + randomToken();
        liveRefreshTokens.put(token, session);
        issuedRefreshTokens.add(token);
        return token;
    }

    private Response tokens(Session session, String refreshToken, String nonce) {
        String accessToken = fixedAccessToken != null ? fixedAccessToken : (flavour == Flavour.ENTRA ? "eyJ0.A" : "ya29.") + randomToken();
        issuedAccessTokens.add(accessToken);
        Set<String> scopes = scopes(session.scope());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", scopes.stream().filter(s -> !s.equals("offline_access")).collect(Collectors.joining(" ")));
        body.put("expires_in", accessTokenLifetime.toSeconds());
        if (flavour == Flavour.ENTRA) {
            body.put("ext_expires_in", accessTokenLifetime.toSeconds());
        }
        body.put("access_token", accessToken);
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
            if (flavour == Flavour.GOOGLE) {
                body.put("refresh_token_expires_in", Duration.ofDays(7).toSeconds());
            }
        }
        if (scopes.contains("openid")) {
            body.put("id_token", idToken(session, scopes, nonce));
        }
        if (flavour == Flavour.ENTRA) {
            body.put("client_info", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    JwtSigner.json(Map.of("uid", objectId(session.user()), "utid", tenantId))));
        }
        return Response.json(200, body);
    }

    private String idToken(Session session, Set<String> scopes, String nonce) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", session.clientId());
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        if (nonce != null) {
            claims.put("nonce", nonce);
        }
        if (flavour == Flavour.ENTRA) {
            claims.put("iss", authority() + tenantId + "/v2.0");
            claims.put("nbf", now);
            claims.put("oid", objectId(session.user()));
            claims.put("sub", "sub-" + objectId(session.user()));
            claims.put("tid", tenantId);
            claims.put("ver", "2.0");
            if (scopes.contains("profile")) {
                claims.put("name", displayName(session.user()));
                if (session.claims().contains(AddressClaim.PREFERRED_USERNAME)) {
                    claims.put("preferred_username", session.user());
                }
            }
            if (session.claims().contains(AddressClaim.UPN)) {
                claims.put("upn", session.user());
            }
        } else {
            claims.put("iss", "https://accounts.google.com");
            claims.put("azp", session.clientId());
            claims.put("sub", String.valueOf(Math.abs((long) session.user().hashCode()) + 100000000000000000L));
            if (session.claims().contains(AddressClaim.PREFERRED_USERNAME)) {
                claims.put("preferred_username", session.user());
            }
            if (session.claims().contains(AddressClaim.UPN)) {
                claims.put("upn", session.user());
            }
        }
        if (scopes.contains("email") && session.claims().contains(AddressClaim.EMAIL)) {
            claims.put("email", session.user());
            if (flavour == Flavour.GOOGLE) {
                claims.put("email_verified", true);
            }
        }
        return signer.sign(claims);
    }

    // ---- errors ----

    private TokenFailure tokenFailure(Failure failure) {
        boolean entra = flavour == Flavour.ENTRA;
        return switch (failure) {
            case INVALID_GRANT -> entra
                    ? new TokenFailure(400, "invalid_grant", "AADSTS700082: The refresh token has expired due to inactivity. The token was issued on "
                            + Instant.now().minus(Duration.ofDays(91)) + " and was inactive for 90.00:00:00.")
                    : new TokenFailure(400, "invalid_grant", "Token has been expired or revoked.");
            case INVALID_CLIENT -> entra
                    ? new TokenFailure(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + clientId + "'.")
                    : new TokenFailure(401, "invalid_client", "Unauthorized");
            case CLIENT_SECRET_EXPIRED -> entra
                    ? new TokenFailure(401, "invalid_client", "AADSTS7000222: The provided client secret keys for app '" + clientId + "' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.")
                    : new TokenFailure(401, "invalid_client", "Unauthorized");
            case SERVER_ERROR -> entra
                    ? new TokenFailure(500, "server_error", "AADSTS90033: A transient error has occurred. Please try again.")
                    : new TokenFailure(500, "internal_failure", "Backend Error");
            case THROTTLED -> entra
                    ? new TokenFailure(429, "temporarily_unavailable", "AADSTS50196: The server terminated an operation because it encountered a client request loop. Please contact your app vendor.")
                    : new TokenFailure(429, "rate_limit_exceeded", "Rate Limit Exceeded");
        };
    }

    private Response invalidGrant(String entraDescription, String googleDescription) {
        return error(400, "invalid_grant", flavour == Flavour.ENTRA ? entraDescription : googleDescription);
    }

    private Response error(int status, String error, String description) {
        return error(new TokenFailure(status, error, description));
    }

    private Response error(TokenFailure failure) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", failure.error());
        if (flavour == Flavour.ENTRA) {
            String traceId = UUID.randomUUID().toString();
            String correlationId = UUID.randomUUID().toString();
            String timestamp = Instant.now().toString();
            body.put("error_description", failure.description() + "\r\nTrace ID: " + traceId + "\r\nCorrelation ID: "
                    + correlationId + "\r\nTimestamp: " + timestamp);
            Matcher number = AADSTS.matcher(failure.description());
            body.put("error_codes", number.find() ? List.of(Long.parseLong(number.group(1))) : List.of());
            body.put("timestamp", timestamp);
            body.put("trace_id", traceId);
            body.put("correlation_id", correlationId);
            if (number.find(0)) {
                body.put("error_uri", authority() + "error?code=" + number.group(1));
            }
        } else {
            body.put("error_description", failure.description());
        }
        Response response = Response.json(failure.status(), body);
        return failure.status() == 429 ? response.withHeader("Retry-After", "30") : response;
    }

    /** Entra refuses scopes of two resources in one request (AADSTS28000); OpenID scopes belong to none. */
    private static String mixedResources(String scope) {
        Set<String> resources = scopes(scope).stream()
                .filter(s -> !OIDC_SCOPES.contains(s))
                .map(s -> s.contains("/") ? s.substring(0, s.lastIndexOf('/')) : "https://graph.microsoft.com")
                .collect(Collectors.toSet());
        return resources.size() <= 1 ? null
                : "AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope "
                        + scope + " is not valid.";
    }

    // ---- helpers ----

    private static Set<String> scopes(String scope) {
        return scope == null || scope.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
    }

    private String objectId(String address) {
        return UUID.nameUUIDFromBytes(address.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String displayName(String address) {
        String local = address.contains("@") ? address.substring(0, address.indexOf('@')) : address;
        return local.isEmpty() ? local : Character.toUpperCase(local.charAt(0)) + local.substring(1);
    }

    private String randomToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String html(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
