package dev.intake.app.delivery.glpi;

import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.config.GlpiTargetConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target's access token for GLPI's high-level API, from GLPI's OAuth 2.0 token endpoint ({@code POST /api.php/token},
 * league/oauth2-server behind {@code CoreController::token}). GLPI 11 refuses the client credentials grant for the
 * {@code api} scope, so the token is bought with the password grant: the OAuth client's id and secret and a GLPI user.
 *
 * <p>The token is kept in memory and used until shortly before it expires; then the refresh token renews it when GLPI
 * gave one (the password is not sent again), and the password grant when it did not or the refresh is refused. A token
 * GLPI answers 401 to is dropped ({@link #rejected}) and the next call buys a new one.
 */
final class GlpiHlTokens {

    private static final Logger log = LoggerFactory.getLogger(GlpiHlTokens.class);

    /** Renewed this long before it expires, so a request never leaves with a token that dies on the way. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    /** GLPI's default access token lifetime, assumed when the answer does not say. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private final GlpiTargetConfig config;
    private final URI tokenUri;
    private final HttpClient http;
    private final Clock clock;
    private final GlpiHlErrors errors;

    private String accessToken;
    private Instant renewAt = Instant.MIN;
    private String refreshToken;

    GlpiHlTokens(GlpiTargetConfig config, URI tokenUri, HttpClient http, Clock clock, GlpiHlErrors errors) {
        this.config = config;
        this.tokenUri = tokenUri;
        this.http = http;
        this.clock = clock;
        this.errors = errors;
    }

    /** A token to send now: the cached one while it is fresh, else a renewed one. */
    synchronized String accessToken() throws DeliveryFailure {
        if (accessToken != null && clock.instant().isBefore(renewAt)) {
            return accessToken;
        }
        if (refreshToken != null) {
            try {
                return obtain(refreshGrant(), "renewing the access token with the refresh token");
            } catch (DeliveryFailure e) {
                if (e.kind() != DeliveryFailure.Kind.UNAUTHORIZED) {
                    throw e;
                }
                // an expired or revoked refresh token: the password buys a new pair
                log.info("GLPI target {}: the refresh token was refused, signing in again with the password grant",
                        config.name());
                refreshToken = null;
            }
        }
        return obtain(passwordGrant(), "signing in to GLPI's OAuth token endpoint");
    }

    /** GLPI refused this token (401): forget it, so the next call signs in again. */
    synchronized void rejected(String token) {
        if (token.equals(accessToken)) {
            accessToken = null;
            renewAt = Instant.MIN;
        }
    }

    private Map<String, String> passwordGrant() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", config.clientId());
        form.put("client_secret", config.clientSecret().reveal());
        form.put("username", config.username());
        form.put("password", config.password().reveal());
        form.put("scope", config.scope());
        return form;
    }

    private Map<String, String> refreshGrant() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", config.clientId());
        form.put("client_secret", config.clientSecret().reveal());
        form.put("refresh_token", refreshToken);
        form.put("scope", config.scope());
        return form;
    }

    private String obtain(Map<String, String> form, String what) throws DeliveryFailure {
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(config.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        GlpiHlExchange.Answer answer = GlpiHlExchange.send(http, request, false, what, errors);
        if (answer.status() == 200 && answer.body().path("access_token").isTextual()) {
            accept(answer);
            return accessToken;
        }
        throw refused(answer, what);
    }

    private void accept(GlpiHlExchange.Answer answer) {
        accessToken = answer.body().path("access_token").asText();
        errors.alsoHide(accessToken);
        Duration lifetime = answer.body().path("expires_in").canConvertToLong()
                ? Duration.ofSeconds(answer.body().path("expires_in").asLong())
                : DEFAULT_LIFETIME;
        // a lifetime shorter than twice the margin is renewed at its half, not at once
        Duration early = lifetime.compareTo(RENEW_BEFORE.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : RENEW_BEFORE;
        renewAt = clock.instant().plus(lifetime).minus(early);
        if (answer.body().path("refresh_token").isTextual()) {
            refreshToken = answer.body().path("refresh_token").asText();
            errors.alsoHide(refreshToken);
        }
        log.info("GLPI target {}: access token obtained for GLPI user {}, valid {} s", config.name(),
                config.username(), lifetime.toSeconds());
    }

    private DeliveryFailure refused(GlpiHlExchange.Answer answer, String what) {
        int status = answer.status();
        String prefix = "GLPI target " + config.name() + ": " + what + " failed";
        if (status == 429 || status >= 500) {
            return errors.failure(DeliveryFailure.Kind.RETRY, prefix + ": GLPI answered " + status + " ("
                    + errors.reason(answer.body(), answer.raw()) + "). Intake retries.");
        }
        if (!answer.isJson()) {
            return errors.failure(DeliveryFailure.Kind.UNAUTHORIZED, prefix + ": " + tokenUri
                    + " answered " + status + " without an OAuth answer. Check that the target's url is GLPI's root "
                    + "(GLPI 11 or later) and that the API is enabled in Setup > General > API.");
        }
        String error = answer.body().path("error").asText("");
        String reason = errors.reason(answer.body(), answer.raw());
        String advice = switch (error) {
            case "invalid_client" -> "GLPI does not know this OAuth client or its secret: check client-id and "
                    + "client-secret against Setup > OAuth clients, and that the client is active.";
            case "invalid_grant" -> "GLPI refused the user's credentials: check username and password, and that "
                    + "the GLPI user is active and may log in with a GLPI (local or LDAP) password.";
            case "unauthorized_client", "unsupported_grant_type" -> "the OAuth client may not use the Password "
                    + "grant: in GLPI, Setup > OAuth clients > this client, add the Password grant.";
            case "invalid_scope" -> "the OAuth client may not ask for the scope '" + config.scope()
                    + "': in GLPI, Setup > OAuth clients > this client, add the scope (api).";
            default -> "check the OAuth client (Password grant, api scope) and the user's credentials in GLPI.";
        };
        return errors.failure(DeliveryFailure.Kind.UNAUTHORIZED, prefix + " (" + status
                + (error.isEmpty() ? "" : " " + error) + ": " + reason + "): " + advice);
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
