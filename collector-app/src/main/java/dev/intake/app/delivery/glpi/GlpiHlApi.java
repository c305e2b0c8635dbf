package dev.intake.app.delivery.glpi;

import dev.intake.app.delivery.DeliveryFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticated calls to GLPI's high-level API ({@code <url>/api.php/v2}) and what each answer means for the item:
 * a 401 buys a new token once and sends again; then 2xx is the answer, 429 and 5xx are
 * {@link DeliveryFailure.Kind#RETRY RETRY} (a gateway's 502/504 to a creating request is
 * {@link DeliveryFailure.Kind#UNCERTAIN UNCERTAIN}: GLPI behind it may have done the work), 401 again and 403 are
 * {@link DeliveryFailure.Kind#UNAUTHORIZED UNAUTHORIZED} (the user, its profile or the client is wrong, not the item),
 * and any other 4xx is {@link DeliveryFailure.Kind#REJECTED REJECTED} with GLPI's reason.
 */
final class GlpiHlApi {

    private static final Logger log = LoggerFactory.getLogger(GlpiHlApi.class);

    /** A request body, made afresh for each send (a 401 sends twice; an attachment's stream is read once per send). */
    @FunctionalInterface
    interface Body {
        HttpRequest.BodyPublisher open() throws IOException;
    }

    private final String apiRoot;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final GlpiHlTokens tokens;
    private final GlpiHlErrors errors;

    GlpiHlApi(URI apiRoot, HttpClient http, Duration timeout, Clock clock, GlpiHlTokens tokens, GlpiHlErrors errors) {
        this.apiRoot = apiRoot.toString();
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
        this.tokens = tokens;
        this.errors = errors;
    }

    /** A read (search, list): nothing is created, so a lost answer is simply retried. */
    GlpiHlExchange.Answer get(String pathAndQuery, String what) throws DeliveryFailure {
        return send("GET", pathAndQuery, null, null, false, what);
    }

    /** Creates something from a JSON body. */
    GlpiHlExchange.Answer post(String path, Object json, String what) throws DeliveryFailure {
        byte[] body = GlpiHlExchange.JSON.valueToTree(json).toString().getBytes(StandardCharsets.UTF_8);
        return send("POST", path, "application/json", () -> HttpRequest.BodyPublishers.ofByteArray(body), true, what);
    }

    /** Creates something from a multipart form (a document and its file). */
    GlpiHlExchange.Answer postMultipart(String path, GlpiHlMultipart form, String what) throws DeliveryFailure {
        try {
            return send("POST", path, form.contentType(), form::open, true, what);
        } finally {
            form.close();
        }
    }

    private GlpiHlExchange.Answer send(String method, String path, String contentType, Body body, boolean creates,
            String what) throws DeliveryFailure {
        GlpiHlExchange.Answer answer = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            String token = tokens.accessToken();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiRoot + path))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", contentType).method(method, open(body, what));
            }
            answer = GlpiHlExchange.send(http, request.build(), creates, what, errors);
            log.debug("GLPI target {}: {} {} -> {}", errors.target(), method, path, answer.status());
            if (answer.status() != 401) {
                return classify(answer, creates, what);
            }
            // GLPI no longer knows the token (expired early, revoked, GLPI's keys rotated): one new sign-in
            tokens.rejected(token);
        }
        throw errors.failure(DeliveryFailure.Kind.UNAUTHORIZED, "GLPI target " + errors.target() + ": " + what
                + " was refused with 401 even with a new access token ("
                + errors.reason(answer.body(), answer.raw()) + "). Check the OAuth client's grants and scope (Password,"
                + " api), the GLPI user's password and that the user is active with a profile allowed to use the API.");
    }

    private HttpRequest.BodyPublisher open(Body body, String what) throws DeliveryFailure {
        try {
            return body.open();
        } catch (IOException e) {
            throw errors.failure(DeliveryFailure.Kind.RETRY, "GLPI target " + errors.target() + ": " + what
                    + " failed: Intake could not read the content to send. Intake retries.", Optional.empty(), e);
        }
    }

    private GlpiHlExchange.Answer classify(GlpiHlExchange.Answer answer, boolean creates, String what)
            throws DeliveryFailure {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return answer;
        }
        String prefix = "GLPI target " + errors.target() + ": " + what + " failed";
        String reason = errors.reason(answer.body(), answer.raw());
        if (status == 429) {
            Optional<Duration> wait = retryAfter(answer.headers());
            throw errors.failure(DeliveryFailure.Kind.RETRY, prefix + ": GLPI asks Intake to slow down (429)"
                    + wait.map(w -> ", retrying after " + w.toSeconds() + " s").orElse("") + ".", wait, null);
        }
        if (creates && (status == 502 || status == 504)) {
            throw errors.failure(DeliveryFailure.Kind.UNCERTAIN, prefix + ": a gateway answered " + status
                    + " (" + reason + "); GLPI may have done it, so the next attempt looks for it first.");
        }
        if (status >= 500) {
            throw errors.failure(DeliveryFailure.Kind.RETRY, prefix + ": GLPI answered " + status + " ("
                    + reason + "). Intake retries; GLPI's logs (files/_log/php-errors.log) tell why.",
                    retryAfter(answer.headers()), null);
        }
        if (status == 403) {
            throw errors.failure(DeliveryFailure.Kind.UNAUTHORIZED, prefix + ": the GLPI user lacks a right (403: "
                    + reason + "). Give the user's profile the rights listed in Intake's README (tickets: create, "
                    + "read; followups: add; documents: create; users: read) in the target's entity.");
        }
        if (status >= 300 && status < 400) {
            throw errors.failure(DeliveryFailure.Kind.UNAUTHORIZED, prefix + ": GLPI answered a redirect ("
                    + status + " to " + answer.headers().firstValue("Location").orElse("nowhere")
                    + "). Set the target's url to GLPI's root as GLPI itself names it (https, host, path).");
        }
        if (status == 404 && !answer.isJson()) {
            throw errors.failure(DeliveryFailure.Kind.UNAUTHORIZED, prefix + ": " + apiRoot
                    + " answered 404 without GLPI's error body. Check that the target's url is GLPI's root and that "
                    + "GLPI is version 11 or later (the high-level API).");
        }
        throw errors.failure(DeliveryFailure.Kind.REJECTED, prefix + ": GLPI refused it (" + status + ": "
                + reason + ").");
    }

    private Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.get()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }
}
