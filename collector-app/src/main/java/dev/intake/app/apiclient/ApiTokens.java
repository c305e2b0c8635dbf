package dev.intake.app.apiclient;

import dev.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens of API clients: the grants of the token endpoint (client credentials; authorization code with PKCE and
 * rotating refresh tokens), the check of a bearer token on each API call, introspection and revocation. Every token is
 * a random string kept only as its SHA-256 ({@link ApiClientStore}), so any node accepts it and ends it at once.
 */
public final class ApiTokens {

    /** How a bearer token on an API call was judged. */
    public sealed interface BearerCheck {

        record Accepted(ApiCaller caller) implements BearerCheck {
        }

        /** Unknown, expired, revoked, or of a client that is deactivated or deleted: 401. */
        record Rejected(String description) implements BearerCheck {
        }

        /** A valid token from an address outside the client's ranges: 403. */
        record OutsideRanges(String description) implements BearerCheck {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final String ACCESS = "access";
    private static final String REFRESH = "refresh";
    private static final String CODE = "code";
    /** An authorization code is redeemed at once by the application's server; a minute is plenty. */
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(1);
    /** A refresh token unused this long ends; every use gives a new one. */
    private static final Duration REFRESH_LIFETIME = Duration.ofDays(30);

    private final ApiClients clients;
    private final ApiClientStore store;
    private final Supplier<Duration> tokenLifetime;
    private final Clock clock;

    public ApiTokens(ApiClients clients, ApiClientStore store, Supplier<Duration> tokenLifetime, Clock clock) {
        this.clients = clients;
        this.store = store;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
    }

    // ---- tokens --------------------------------------------------------------------------------------------

    /**
     * The client credentials grant (RFC 6749 §4.4).
     *
     * @param requested the scopes asked for; empty for all of the client's
     * @throws OAuthRefusedException as the token endpoint should answer
     */
    public IssuedToken clientCredentials(String clientId, Secret secret, Optional<Set<String>> requested, String address) {
        ApiClient client = clients.authenticateClient(clientId, secret, address);
        if (!client.grants().contains(GrantType.CLIENT_CREDENTIALS)) {
            throw new OAuthRefusedException("unauthorized_client", 400, "This client may not use the client_credentials "
                    + "grant; allow it on the client's page.");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (requested.isEmpty() || requested.get().isEmpty()) {
            scopes.addAll(client.scopes());
        } else {
            for (String name : requested.get()) {
                Optional<Scope> scope = Scope.of(name).filter(client.scopes()::contains);
                if (scope.isEmpty()) {
                    throw new OAuthRefusedException("invalid_scope", 400, "Scope '" + name + "' is not one this client "
                            + "may have; it has: " + Scope.names(client.scopes()));
                }
                scopes.add(scope.get());
            }
        }
        Secret token = newToken("intake_at_");
        store.insertToken(new ApiClientStore.NewToken(hash(token.reveal()), ACCESS, clientId, Scope.names(scopes),
                hash(token.reveal()), Optional.empty(), Optional.empty(), Optional.empty(),
                clock.instant().plus(tokenLifetime.get())));
        store.recordUse(clientId, address);
        log.info("API client '{}' ({}) got an access token from {} with scopes {}", client.name(), clientId, address,
                Scope.names(scopes));
        return new IssuedToken(token, tokenLifetime.get(), scopes, Optional.empty());
    }

    // ---- authorization code with PKCE ------------------------------------------------------------------------

    /**
     * Checks an authorization request before the admin is asked to consent (RFC 6749 §4.1.1, RFC 7636).
     *
     * @param codeFlow  whether the request asks for a code (response_type=code), the only response Intake gives
     * @param requested the scopes asked for; empty for all of the client's
     * @return the client and the scopes the admin is asked for
     * @throws AuthorizationRefusedException saying whether the error may be sent to the redirect URI
     */
    public Consent checkAuthorizationRequest(String clientId, String redirectUri, boolean codeFlow, Set<String> requested,
            Optional<String> codeChallenge, Optional<String> challengeMethod) {
        ApiClient client = store.find(clientId == null ? "" : clientId).orElseThrow(() ->
                new AuthorizationRefusedException("invalid_request", "There is no API client '" + clientId + "'.", false));
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            throw new AuthorizationRefusedException("invalid_request", "The redirect URI " + redirectUri + " is not one "
                    + "registered for '" + client.name() + "'; redirect URIs must match exactly.", false);
        }
        if (!codeFlow) {
            throw new AuthorizationRefusedException("unsupported_response_type", "Only response_type=code is supported.",
                    true);
        }
        if (!client.active()) {
            throw new AuthorizationRefusedException("unauthorized_client", "This client is deactivated.", true);
        }
        if (!client.grants().contains(GrantType.AUTHORIZATION_CODE)) {
            throw new AuthorizationRefusedException("unauthorized_client", "This client may not use the "
                    + "authorization_code grant.", true);
        }
        if (codeChallenge.isEmpty() || !challengeMethod.orElse("").equals("S256")) {
            throw new AuthorizationRefusedException("invalid_request", "PKCE is required: send code_challenge with "
                    + "code_challenge_method=S256.", true);
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (requested.isEmpty()) {
            scopes.addAll(client.scopes());
        }
        for (String name : requested) {
            scopes.add(Scope.of(name).filter(client.scopes()::contains).orElseThrow(() -> new AuthorizationRefusedException(
                    "invalid_scope", "Scope " + name + " is not one this client may have.", true)));
        }
        return new Consent(client, scopes);
    }

    /** A client and the scopes an admin is asked to grant it. */
    public record Consent(ApiClient client, Set<Scope> scopes) {
    }

    /** The admin consented: a code for the application to redeem once, bound to the redirect URI and the challenge. */
    public Secret issueCode(Consent consent, String admin, String redirectUri, String codeChallenge) {
        Secret code = newToken("intake_ac_");
        store.insertToken(new ApiClientStore.NewToken(hash(code.reveal()), CODE, consent.client().clientId(),
                Scope.names(consent.scopes()), hash(code.reveal()), Optional.of(admin), Optional.of(redirectUri),
                Optional.of(codeChallenge), clock.instant().plus(CODE_LIFETIME)));
        log.info("Admin '{}' let API client '{}' ({}) act for them with scopes {}", admin, consent.client().name(),
                consent.client().clientId(), Scope.names(consent.scopes()));
        return code;
    }

    /**
     * The authorization code grant at the token endpoint: the code once, with the same redirect URI and the PKCE
     * verifier of its challenge. A code presented twice ends every token issued from it.
     */
    public IssuedToken redeemCode(String clientId, Secret secret, String code, String redirectUri, String verifier,
            String address) {
        ApiClient client = clients.authenticateClient(clientId, secret, address);
        ApiClientStore.TokenRow row = store.token(hash(code == null ? "" : code)).filter(t -> t.kind().equals(CODE)
                        && t.clientId().equals(client.clientId()))
                .orElseThrow(() -> invalidGrant("The authorization code is not known or not this client's."));
        if (row.used() || row.revoked()) {
            store.revokeFamily(row.family());
            log.warn("Authorization code of API client '{}' ({}) presented again from {}; the tokens issued from it are "
                    + "revoked", client.name(), client.clientId(), address);
            throw invalidGrant("The authorization code was used already; the tokens issued from it are revoked.");
        }
        if (!row.expiresAt().isAfter(clock.instant())) {
            throw invalidGrant("The authorization code expired; ask the admin again.");
        }
        if (!row.redirectUri().orElse("").equals(redirectUri)) {
            throw invalidGrant("redirect_uri differs from the one of the authorization request.");
        }
        if (verifier == null || !row.codeChallenge().orElse("").equals(s256(verifier))) {
            throw invalidGrant("The PKCE code_verifier does not match the code_challenge of the authorization request.");
        }
        if (!store.useOnce(hash(code))) {
            store.revokeFamily(row.family());
            throw invalidGrant("The authorization code was used already; the tokens issued from it are revoked.");
        }
        return pair(client, row, address);
    }

    /** The refresh token grant: the token once, for a new pair; a refresh token used twice ends its whole family. */
    public IssuedToken refresh(String clientId, Secret secret, String refreshToken, String address) {
        ApiClient client = clients.authenticateClient(clientId, secret, address);
        ApiClientStore.TokenRow row = store.token(hash(refreshToken == null ? "" : refreshToken))
                .filter(t -> t.kind().equals(REFRESH) && t.clientId().equals(client.clientId()))
                .orElseThrow(() -> invalidGrant("The refresh token is not known or not this client's."));
        if (row.used() || row.revoked() || !store.useOnce(hash(refreshToken))) {
            store.revokeFamily(row.family());
            log.warn("A used refresh token of API client '{}' ({}) was presented again from {}; every token of that "
                    + "authorization is revoked", client.name(), client.clientId(), address);
            throw invalidGrant("The refresh token was used already, so it may have been stolen: every token of this "
                    + "authorization is revoked. Ask the admin to authorize the application again.");
        }
        if (!row.expiresAt().isAfter(clock.instant())) {
            throw invalidGrant("The refresh token expired; ask the admin to authorize the application again.");
        }
        if (!client.grants().contains(GrantType.AUTHORIZATION_CODE)) {
            // The grant was taken from the client (collector.yaml) after the admin authorized it: the authorization ends.
            store.revokeFamily(row.family());
            throw new OAuthRefusedException("unauthorized_client", 400, "This client may no longer use the "
                    + "authorization_code grant, so its refresh tokens ended; give it the grant again and have the admin "
                    + "authorize the application again.");
        }
        return pair(client, row, address);
    }

    private IssuedToken pair(ApiClient client, ApiClientStore.TokenRow from, String address) {
        Secret access = newToken("intake_at_");
        Secret refresh = newToken("intake_rt_");
        Instant now = clock.instant();
        store.insertToken(new ApiClientStore.NewToken(hash(access.reveal()), ACCESS, client.clientId(), from.scopes(),
                from.family(), from.admin(), Optional.empty(), Optional.empty(), now.plus(tokenLifetime.get())));
        store.insertToken(new ApiClientStore.NewToken(hash(refresh.reveal()), REFRESH, client.clientId(), from.scopes(),
                from.family(), from.admin(), Optional.empty(), Optional.empty(), now.plus(REFRESH_LIFETIME)));
        store.recordUse(client.clientId(), address);
        log.info("API client '{}' ({}) got tokens for admin '{}' from {}", client.name(), client.clientId(),
                from.admin().orElse("?"), address);
        return new IssuedToken(access, tokenLifetime.get(), Scope.parseList(from.scopes()), Optional.of(refresh));
    }

    private static OAuthRefusedException invalidGrant(String description) {
        return new OAuthRefusedException("invalid_grant", 400, description);
    }

    /** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The check on every API call that carries {@code Authorization: Bearer}. */
    public BearerCheck checkBearer(String token, String address) {
        Optional<ApiClientStore.TokenRow> found = token == null || token.isBlank() ? Optional.empty()
                : store.token(hash(token.strip()));
        if (found.isEmpty() || !found.get().kind().equals(ACCESS)) {
            return new BearerCheck.Rejected("The access token is not known to Intake; get a new one from /oauth2/token.");
        }
        ApiClientStore.TokenRow t = found.get();
        if (t.revoked() || !t.clientActive()) {
            return new BearerCheck.Rejected(t.revoked() ? "The access token was revoked; get a new one."
                    : "The client of this access token is deactivated.");
        }
        if (!t.expiresAt().isAfter(clock.instant())) {
            return new BearerCheck.Rejected("The access token expired; get a new one from /oauth2/token.");
        }
        if (!t.allowedIps().allows(address)) {
            log.warn("API call of client '{}' ({}) refused: {} is outside its allowed ranges {}", t.clientName(),
                    t.clientId(), address, t.allowedIps());
            return new BearerCheck.OutsideRanges("Calls of this client are not allowed from " + address + ".");
        }
        store.recordUse(t.clientId(), address);
        return new BearerCheck.Accepted(new ApiCaller(t.clientId(), t.clientName(), Scope.parseList(t.scopes()), t.admin()));
    }

    /** RFC 7662: what a client may learn of one of its own tokens; empty when inactive or another client's. */
    public Optional<TokenInfo> introspect(ApiClient asking, String token) {
        Optional<ApiClientStore.TokenRow> found = token == null ? Optional.empty() : store.token(hash(token.strip()));
        return found.filter(t -> t.clientId().equals(asking.clientId()) && t.kind().equals(ACCESS) && !t.revoked()
                        && t.clientActive() && t.expiresAt().isAfter(clock.instant()))
                .map(t -> new TokenInfo(t.clientId(), t.clientName(), Scope.parseList(t.scopes()), t.issuedAt(),
                        t.expiresAt()));
    }

    /**
     * RFC 7009: ends one of the client's tokens (a refresh token with every token of its authorization); an unknown
     * token or another client's is ignored.
     */
    public void revoke(ApiClient asking, String token) {
        if (token != null && !token.isBlank()) {
            store.revokeToken(hash(token.strip()), asking.clientId(), REFRESH);
        }
    }

    static Secret newToken(String prefix) {
        return Secret.of(prefix + random(32, Base64.getUrlEncoder().withoutPadding()::encodeToString));
    }

    static String random(int bytes, java.util.function.Function<byte[], String> encoding) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return encoding.apply(b);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
