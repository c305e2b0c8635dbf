package dev.intake.app.apiclient;

import dev.intake.app.admin.Passwords;
import dev.intake.app.admin.SignInFailureStore;
import dev.intake.config.ApiClientConfig;
import dev.intake.config.Secret;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registering API clients (what the Clients page, {@code intake clients} and {@code api.clients} do) and checking a
 * client's id and secret, throttled like an admin's sign-in. The tokens a client gets are {@link ApiTokens}'.
 */
public final class ApiClients {

    /** A client just created or given a new secret: the only time its secret exists outside the client. */
    public record ClientWithSecret(ApiClient client, Secret secret) {
    }

    private static final Logger log = LoggerFactory.getLogger(ApiClients.class);

    private final ApiClientStore store;
    private final Passwords passwords;
    private final SignInFailureStore throttle;

    public ApiClients(ApiClientStore store, Passwords passwords, SignInFailureStore throttle) {
        this.store = store;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    // ---- registering ---------------------------------------------------------------------------------------

    /** @throws IllegalArgumentException with what to change in {@code spec} */
    public ClientWithSecret create(ClientSpec spec) {
        spec.check();
        String clientId = "intake-" + ApiTokens.random(12, HexFormat.of()::formatHex);
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
                    IpRanges.parse(String.join(" ", d.allowedIps())), d.redirectUris(), d.active());
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
                    && e.allowedIps().toString().equals(spec.allowedIps().toString())
                    && e.redirectUris().equals(spec.redirectUris()) && e.active() == spec.active();
            if (!same) {
                store.updateFromConfig(d.clientId(), spec, sameSecret ? Optional.empty() : Optional.of(passwords.hash(d.secret())));
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
        boolean matches = checkSecret(secret, hash, id, address);
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

    /**
     * bcrypt takes tens of milliseconds of a core by design: as for admin sign-ins, only a few secrets are checked at
     * once, so that a flood of token requests from many addresses cannot take every core from collection; the rest
     * wait briefly, then are told to retry.
     */
    private boolean checkSecret(Secret secret, Optional<Secret> hash, String clientId, String address) {
        boolean permitted;
        try {
            permitted = bcryptSlots.tryAcquire(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            permitted = false;
        }
        if (!permitted) {
            log.warn("API client authentication as {} from {} not checked: too many checks at once", loggable(clientId),
                    address);
            throw new OAuthRefusedException("temporarily_unavailable", 503, "Intake is busy checking other clients; "
                    + "try again in a few seconds.", 5);
        }
        try {
            if (hash.isEmpty()) {
                passwords.spendDecoyCheck(secret);
                return false;
            }
            return passwords.matches(secret, hash.get());
        } finally {
            bcryptSlots.release();
        }
    }

    private final Semaphore bcryptSlots = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);


    private String loggable(String clientId) {
        // Only ids that exist reach the log: a client may send its secret in the wrong field.
        return store.find(clientId).map(c -> "'" + c.name() + "' (" + c.clientId() + ")").orElse("an unknown client id");
    }

    private static Secret newSecret() {
        return ApiTokens.newToken("intake_cs_");
    }


}
