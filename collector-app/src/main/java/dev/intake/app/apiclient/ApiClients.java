package dev.intake.app.apiclient;

import dev.intake.app.admin.Passwords;
import dev.intake.app.admin.SignInFailureStore;
import dev.intake.config.ApiClientConfig;
import dev.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registering clients and handing them tokens: what the Clients page, {@code intake clients} and the token,
 * introspection and revocation endpoints do, and the check of a bearer token on each API call.
 */
public final class ApiClients {

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

    /** A client just created or given a new secret: the only time its secret exists outside the client. */
    public record ClientWithSecret(ApiClient client, Secret secret) {
    }

    private static final Logger log = LoggerFactory.getLogger(ApiClients.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ACCESS = "access";

    private final ApiClientStore store;
    private final Passwords passwords;
    private final SignInFailureStore throttle;
    private final Supplier<Duration> tokenLifetime;
    private final Clock clock;

    public ApiClients(ApiClientStore store, Passwords passwords, SignInFailureStore throttle,
            Supplier<Duration> tokenLifetime, Clock clock) {
        this.store = store;
        this.passwords = passwords;
        this.throttle = throttle;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
    }

    // ---- registering ---------------------------------------------------------------------------------------

    /** @throws IllegalArgumentException with what to change in {@code spec} */
    public ClientWithSecret create(ClientSpec spec) {
        spec.check();
        String clientId = "intake-" + random(12, HexFormat.of()::formatHex);
        Secret secret = newSecret();
        store.insert(clientId, spec, passwords.hash(secret), false);
        log.info("API client '{}' ({}) created with scopes {}", spec.name(), clientId, Scope.names(spec.scopes()));
        return new ClientWithSecret(store.find(clientId).orElseThrow(), secret);
    }

    public List<ApiClient> all() {
        return store.all();
    }

    public Optional<ApiClient> find(String clientId) {
        return store.find(clientId);
    }

    /**
     * A new secret for the client; the old one and every token issued with it stop working at once.
     *
     * @throws IllegalStateException when the client is declared in collector.yaml (its secret is changed there)
     */
    public Optional<ClientWithSecret> rotateSecret(String clientId) {
        Optional<ApiClient> client = editable(clientId);
        if (client.isEmpty()) {
            return Optional.empty();
        }
        Secret secret = newSecret();
        store.replaceSecret(clientId, passwords.hash(secret));
        log.info("API client '{}' ({}) has a new secret; its tokens ended", client.get().name(), clientId);
        return Optional.of(new ClientWithSecret(store.find(clientId).orElseThrow(), secret));
    }

    /** Deactivating ends the client's tokens at once, on every node; activating lets it ask for new ones. */
    public boolean setActive(String clientId, boolean active) {
        Optional<ApiClient> client = editable(clientId);
        if (client.isEmpty()) {
            return false;
        }
        store.setActive(clientId, active);
        log.info("API client '{}' ({}) {}", client.get().name(), clientId, active ? "activated" : "deactivated; its tokens ended");
        return true;
    }

    public boolean delete(String clientId) {
        Optional<ApiClient> client = editable(clientId);
        if (client.isEmpty()) {
            return false;
        }
        store.delete(clientId);
        log.info("API client '{}' ({}) deleted; its tokens ended", client.get().name(), clientId);
        return true;
    }

    private Optional<ApiClient> editable(String clientId) {
        Optional<ApiClient> client = store.find(clientId);
        if (client.isPresent() && client.get().fromConfig()) {
            throw new IllegalStateException("API client '" + client.get().name() + "' is declared in collector.yaml; "
                    + "change it there");
        }
        return client;
    }

    /**
     * Makes the clients declared in collector.yaml exist as written there (at start and at each reload): new ones
     * are added, changed ones updated (a changed secret is hashed again, and the tokens of a deactivated one end),
     * and those no longer declared are deleted with their tokens.
     */
    public void declare(List<ApiClientConfig> declared) {
        Set<String> ids = new java.util.HashSet<>();
        for (ApiClientConfig d : declared) {
            ids.add(d.clientId());
            ClientSpec spec = new ClientSpec(d.name(), d.comment(),
                    GrantType.parseList(String.join(" ", d.grants())), Scope.parseList(String.join(" ", d.scopes())),
                    IpRanges.parse(String.join(" ", d.allowedIps())), d.active());
            Optional<ApiClient> existing = store.find(d.clientId());
            if (existing.isEmpty()) {
                store.insert(d.clientId(), spec, passwords.hash(d.secret()), true);
                log.info("API client '{}' ({}) declared in collector.yaml", spec.name(), d.clientId());
                continue;
            }
            ApiClient e = existing.get();
            boolean sameSecret = store.secretHash(d.clientId()).map(h -> passwords.matches(d.secret(), h)).orElse(false);
            boolean same = sameSecret && e.fromConfig() && e.name().equals(spec.name()) && e.comment().equals(spec.comment())
                    && e.grants().equals(spec.grants()) && e.scopes().equals(spec.scopes())
                    && e.allowedIps().toString().equals(spec.allowedIps().toString()) && e.active() == spec.active();
            if (!same) {
                store.updateFromConfig(d.clientId(), spec, sameSecret ? store.secretHash(d.clientId()).orElseThrow()
                        : passwords.hash(d.secret()));
                if (!sameSecret) {
                    store.replaceSecret(d.clientId(), store.secretHash(d.clientId()).orElseThrow());
                }
                log.info("API client '{}' ({}) updated from collector.yaml", spec.name(), d.clientId());
            }
        }
        for (ApiClient c : store.all()) {
            if (c.fromConfig() && !ids.contains(c.clientId())) {
                store.delete(c.clientId());
                log.info("API client '{}' ({}) is no longer in collector.yaml; deleted with its tokens", c.name(), c.clientId());
            }
        }
    }

    // ---- tokens --------------------------------------------------------------------------------------------

    /**
     * The client credentials grant (RFC 6749 §4.4).
     *
     * @param requested the scopes asked for; empty for all of the client's
     * @throws OAuthRefusedException as the token endpoint should answer
     */
    public IssuedToken clientCredentials(String clientId, Secret secret, Optional<Set<String>> requested, String address) {
        ApiClient client = authenticateClient(clientId, secret, address);
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
        Duration lifetime = tokenLifetime.get();
        Secret token = Secret.of("intake_at_" + random(32, Base64.getUrlEncoder().withoutPadding()::encodeToString));
        store.insertToken(hash(token.reveal()), ACCESS, clientId, Scope.names(scopes), clock.instant().plus(lifetime));
        store.recordUse(clientId, address);
        log.info("API client '{}' ({}) got an access token from {} with scopes {}", client.name(), clientId, address,
                Scope.names(scopes));
        return new IssuedToken(token, lifetime, scopes);
    }

    /**
     * Checks a client's id and secret, throttled like an admin's sign-in (per address and per client id, counted
     * before bcrypt so that parallel guesses are not all checked).
     */
    public ApiClient authenticateClient(String clientId, Secret secret, String address) {
        String id = clientId == null ? "" : clientId.strip();
        List<String> keys = List.of("api-client-address:" + address, "api-client:" + id);
        Optional<Duration> blocked = throttle.reserveAttempt(keys);
        if (blocked.isPresent()) {
            log.warn("API client authentication as {} from {} refused unchecked: too many failures", loggable(id), address);
            throw new OAuthRefusedException("invalid_client", 429, "Too many failed client authentications from this "
                    + "address or for this client; try again in " + blocked.get().toSeconds() + " s.",
                    Math.max(1, blocked.get().toSeconds()));
        }
        Optional<Secret> hash = store.secretHash(id);
        boolean matches;
        if (hash.isEmpty()) {
            passwords.spendDecoyCheck(secret);
            matches = false;
        } else {
            matches = passwords.matches(secret, hash.get());
        }
        if (!matches) {
            log.warn("Failed API client authentication as {} from {}", loggable(id), address);
            throw new OAuthRefusedException("invalid_client", 401, "Client authentication failed: unknown client id or "
                    + "wrong secret.");
        }
        throttle.recordSuccess(keys);
        ApiClient client = store.find(id).orElseThrow(() -> new OAuthRefusedException("invalid_client", 401,
                "Client authentication failed: unknown client id or wrong secret."));
        if (!client.active()) {
            log.warn("API client '{}' ({}) is deactivated; its authentication from {} was refused", client.name(), id, address);
            throw new OAuthRefusedException("invalid_client", 401, "This client is deactivated; an Intake admin can "
                    + "activate it on the Clients page.");
        }
        if (!client.allowedIps().allows(address)) {
            log.warn("API client '{}' ({}) refused: {} is outside its allowed ranges {}", client.name(), id, address,
                    client.allowedIps());
            throw new OAuthRefusedException("access_denied", 403, "Requests for this client are not allowed from "
                    + address + "; an Intake admin can add the address to the client's allowed IP ranges.");
        }
        return client;
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
        return new BearerCheck.Accepted(new ApiCaller(t.clientId(), t.clientName(), Scope.parseList(t.scopes())));
    }

    /** RFC 7662: what a client may learn of one of its own tokens; empty when inactive or another client's. */
    public Optional<TokenInfo> introspect(ApiClient asking, String token) {
        Optional<ApiClientStore.TokenRow> found = token == null ? Optional.empty() : store.token(hash(token.strip()));
        return found.filter(t -> t.clientId().equals(asking.clientId()) && t.kind().equals(ACCESS) && !t.revoked()
                        && t.clientActive() && t.expiresAt().isAfter(clock.instant()))
                .map(t -> new TokenInfo(t.clientId(), t.clientName(), Scope.parseList(t.scopes()), t.issuedAt(),
                        t.expiresAt()));
    }

    /** RFC 7009: ends one of the client's tokens; an unknown token or another client's is ignored. */
    public void revoke(ApiClient asking, String token) {
        if (token != null && !token.isBlank()) {
            store.revokeToken(hash(token.strip()), asking.clientId());
        }
    }

    private String loggable(String clientId) {
        // Only ids that exist reach the log: a client may send its secret in the wrong field.
        return store.find(clientId).map(c -> "'" + c.name() + "' (" + c.clientId() + ")").orElse("an unknown client id");
    }

    private static Secret newSecret() {
        return Secret.of("intake_cs_" + random(32, Base64.getUrlEncoder().withoutPadding()::encodeToString));
    }

    private static String random(int bytes, java.util.function.Function<byte[], String> encoding) {
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
