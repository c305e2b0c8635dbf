package dev.intake.app.apiclient;

import dev.intake.config.Secret;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The api_client and api_token tables. Tokens are found by their SHA-256 only; secrets exist here only as bcrypt. */
public final class ApiClientStore {

    /** Last use is written at most this often per client and address, so that busy clients do not write on every call. */
    private static final Duration LAST_USE_RESOLUTION = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Clock clock;

    public ApiClientStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A stored token with what is needed to accept it: its client as it is now. */
    record TokenRow(String kind, String clientId, String clientName, boolean clientActive, IpRanges allowedIps,
            String scopes, Instant issuedAt, Instant expiresAt, boolean revoked, Optional<String> admin, String family,
            Optional<String> redirectUri, Optional<String> codeChallenge, boolean used) {
    }

    /** A token to store: only its hash. An access token of the authorization code grant names the admin it acts for. */
    record NewToken(String tokenHash, String kind, String clientId, String scopes, String family, Optional<String> admin,
            Optional<String> redirectUri, Optional<String> codeChallenge, Instant expiresAt) {
    }

    void insert(String clientId, ClientSpec spec, Secret secretHash, boolean fromConfig) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_client (client_id, name, client_comment, secret_hash, grants, "
                        + "scopes, allowed_ips, redirect_uris, active, from_config, created_at, secret_set_at) VALUES (:id, "
                        + ":name, :comment, :hash, :grants, :scopes, :ips, :uris, :active, :config, :now, :now)")
                .bind("uris", String.join(" ", spec.redirectUris()))
                .bind("id", clientId).bind("name", spec.name()).bind("comment", spec.comment())
                .bind("hash", secretHash.reveal()).bind("grants", GrantType.names(spec.grants()))
                .bind("scopes", Scope.names(spec.scopes())).bind("ips", spec.allowedIps().toString())
                .bind("active", spec.active()).bind("config", fromConfig).bind("now", now).execute());
    }

    /**
     * For a client declared in collector.yaml: its settings as the file says now, and its secret when that changed.
     * A new secret or a deactivation ends the client's tokens.
     */
    void updateFromConfig(String clientId, ClientSpec spec, Optional<Secret> newSecretHash) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE api_client SET name = :name, client_comment = :comment, grants = :grants, "
                            + "scopes = :scopes, allowed_ips = :ips, redirect_uris = :uris, active = :active, "
                            + "from_config = TRUE WHERE client_id = :id")
                    .bind("id", clientId).bind("name", spec.name()).bind("comment", spec.comment())
                    .bind("grants", GrantType.names(spec.grants())).bind("scopes", Scope.names(spec.scopes()))
                    .bind("ips", spec.allowedIps().toString()).bind("uris", String.join(" ", spec.redirectUris()))
                    .bind("active", spec.active()).execute();
            if (newSecretHash.isPresent()) {
                h.createUpdate("UPDATE api_client SET secret_hash = :hash, secret_set_at = :now WHERE client_id = :id")
                        .bind("hash", newSecretHash.get().reveal()).bind("now", clock.instant()).bind("id", clientId)
                        .execute();
            }
            if (!spec.active() || newSecretHash.isPresent()) {
                h.createUpdate("DELETE FROM api_token WHERE client_id = :id").bind("id", clientId).execute();
            }
        });
    }

    public List<ApiClient> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_client ORDER BY LOWER(name), client_id")
                .map((rs, ctx) -> client(rs)).list());
    }

    public Optional<ApiClient> find(String clientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM api_client WHERE client_id = :id").bind("id", clientId)
                .map((rs, ctx) -> client(rs)).findOne());
    }

    Optional<Secret> secretHash(String clientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT secret_hash FROM api_client WHERE client_id = :id")
                .bind("id", clientId).mapTo(String.class).findOne().map(Secret::of));
    }

    /** A new secret; the tokens of the old one end with it. */
    boolean replaceSecret(String clientId, Secret secretHash) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM api_token WHERE client_id = :id").bind("id", clientId).execute();
            return h.createUpdate("UPDATE api_client SET secret_hash = :hash, secret_set_at = :now WHERE client_id = :id")
                    .bind("hash", secretHash.reveal()).bind("now", clock.instant()).bind("id", clientId).execute() == 1;
        });
    }

    /** Deactivating deletes the client's tokens, so that activating it again does not bring them back. */
    boolean setActive(String clientId, boolean active) {
        return jdbi.inTransaction(h -> {
            if (!active) {
                h.createUpdate("DELETE FROM api_token WHERE client_id = :id").bind("id", clientId).execute();
            }
            return h.createUpdate("UPDATE api_client SET active = :a WHERE client_id = :id")
                    .bind("a", active).bind("id", clientId).execute() == 1;
        });
    }

    boolean delete(String clientId) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM api_token WHERE client_id = :id").bind("id", clientId).execute();
            return h.createUpdate("DELETE FROM api_client WHERE client_id = :id").bind("id", clientId).execute() == 1;
        });
    }

    void recordUse(String clientId, String address) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_client SET last_used_at = :now, last_used_ip = :ip WHERE client_id = :id "
                        + "AND (last_used_at IS NULL OR last_used_at < :stale OR last_used_ip IS NULL OR last_used_ip <> :ip)")
                .bind("now", now).bind("ip", address).bind("id", clientId).bind("stale", now.minus(LAST_USE_RESOLUTION))
                .execute());
    }

    void insertToken(NewToken t) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> {
            h.createUpdate("INSERT INTO api_token (token_hash, kind, client_id, admin_username, scopes, family, redirect_uri, "
                            + "code_challenge, issued_at, expires_at) VALUES (:hash, :kind, :client, :admin, :scopes, :family, "
                            + ":redirect, :challenge, :now, :expires)")
                    .bind("hash", t.tokenHash()).bind("kind", t.kind()).bind("client", t.clientId())
                    .bind("admin", t.admin().orElse(null)).bind("scopes", t.scopes()).bind("family", t.family())
                    .bind("redirect", t.redirectUri().orElse(null)).bind("challenge", t.codeChallenge().orElse(null))
                    .bind("now", now).bind("expires", t.expiresAt()).execute();
            // Expired tokens are of no use to anyone; they go as new ones come.
            h.createUpdate("DELETE FROM api_token WHERE expires_at < :old").bind("old", now.minus(Duration.ofDays(1)))
                    .execute();
        });
    }

    Optional<TokenRow> token(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT t.*, c.name, c.active, c.allowed_ips FROM api_token t JOIN "
                        + "api_client c ON c.client_id = t.client_id WHERE t.token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new TokenRow(rs.getString("kind"), rs.getString("client_id"), rs.getString("name"),
                        rs.getBoolean("active"), IpRanges.parse(rs.getString("allowed_ips")), rs.getString("scopes"),
                        rs.getTimestamp("issued_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("revoked_at") != null, Optional.ofNullable(rs.getString("admin_username")),
                        rs.getString("family"), Optional.ofNullable(rs.getString("redirect_uri")),
                        Optional.ofNullable(rs.getString("code_challenge")), rs.getTimestamp("used_at") != null))
                .findOne());
    }

    /**
     * Uses an authorization code or refresh token once: true for the one caller that marks it used, on whichever node;
     * false when it was used (or revoked) already.
     */
    boolean useOnce(String tokenHash) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE api_token SET used_at = :now WHERE token_hash = :hash AND "
                        + "used_at IS NULL AND revoked_at IS NULL")
                .bind("now", clock.instant()).bind("hash", tokenHash).execute()) == 1;
    }

    /** Ends every token of one authorization: a code or refresh token used twice means one of them was stolen. */
    void revokeFamily(String family) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE api_token SET revoked_at = :now WHERE family = :family AND revoked_at IS NULL")
                .bind("now", clock.instant()).bind("family", family).execute());
    }

    /**
     * Revokes a token of this client; a token of another client is left alone (RFC 7009 §2.1). A refresh token takes
     * its whole authorization with it (the access tokens issued from the same grant), as §2.1 asks of a server that can
     * revoke access tokens: an application signing out must not leave a working access token behind.
     */
    void revokeToken(String tokenHash, String clientId, String refreshKind) {
        jdbi.useTransaction(h -> {
            Optional<String> family = h.createQuery("SELECT family FROM api_token WHERE token_hash = :hash AND "
                            + "client_id = :client AND kind = :kind")
                    .bind("hash", tokenHash).bind("client", clientId).bind("kind", refreshKind).mapTo(String.class)
                    .findOne();
            if (family.isPresent()) {
                h.createUpdate("UPDATE api_token SET revoked_at = :now WHERE family = :family AND revoked_at IS NULL")
                        .bind("now", clock.instant()).bind("family", family.get()).execute();
                return;
            }
            h.createUpdate("UPDATE api_token SET revoked_at = :now WHERE token_hash = :hash AND client_id = :client AND "
                            + "revoked_at IS NULL")
                    .bind("now", clock.instant()).bind("hash", tokenHash).bind("client", clientId).execute();
        });
    }

    private static ApiClient client(ResultSet rs) throws SQLException {
        return new ApiClient(rs.getString("client_id"), rs.getString("name"),
                Optional.ofNullable(rs.getString("client_comment")).orElse(""), lenientGrants(rs.getString("grants")),
                Scope.parseList(rs.getString("scopes")), IpRanges.parse(rs.getString("allowed_ips")),
                redirectUris(rs.getString("redirect_uris")), rs.getBoolean("active"), rs.getBoolean("from_config"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("secret_set_at").toInstant(),
                Optional.ofNullable(rs.getTimestamp("last_used_at")).map(Timestamp::toInstant),
                Optional.ofNullable(rs.getString("last_used_ip")));
    }

    private static List<String> redirectUris(String list) {
        return list == null || list.isBlank() ? List.of() : List.of(list.strip().split("\\s+"));
    }

    private static java.util.Set<GrantType> lenientGrants(String names) {
        java.util.Set<GrantType> grants = java.util.EnumSet.noneOf(GrantType.class);
        for (String n : names.strip().split("\\s+")) {
            GrantType.of(n).ifPresent(grants::add);
        }
        return grants;
    }
}
