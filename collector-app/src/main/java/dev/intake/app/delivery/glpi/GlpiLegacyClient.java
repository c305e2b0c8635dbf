package dev.intake.app.delivery.glpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryFailure.Kind;
import dev.intake.config.GlpiLegacyTargetConfig;
import dev.intake.config.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GLPI's legacy REST API ({@code apirest.php}) as GLPI 9.5 and 10.0 serve it, for one target: a session opened with
 * {@code initSession} on first use (user token or HTTP Basic, plus the App-Token), kept for the target's life, opened
 * again once when GLPI says it is no longer valid ({@code ERROR_SESSION_TOKEN_INVALID}: GLPI's PHP session expired),
 * and ended with {@code killSession} on {@link #close()}.
 *
 * <p>Every answer that is not a transport failure is returned as is; the caller decides what a status means for its
 * item (through {@link GlpiLegacyFailures}). A transport failure is thrown as a {@link DeliveryFailure}: RETRY when the
 * request cannot have had an effect (refused connection, a read, the session), UNCERTAIN when a request that creates
 * an item was sent and its answer lost.
 */
final class GlpiLegacyClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GlpiLegacyClient.class);

    private final GlpiLegacyTargetConfig config;
    private final HttpClient http;
    private final ObjectMapper json;
    private final GlpiLegacyFailures failures;
    private final String api;
    private final AtomicReference<String> session = new AtomicReference<>();

    GlpiLegacyClient(GlpiLegacyTargetConfig config, HttpClient http, ObjectMapper json, Clock clock) {
        this.config = config;
        this.http = http;
        this.json = json;
        List<String> secrets = new ArrayList<>();
        config.appToken().map(Secret::reveal).ifPresent(secrets::add);
        config.userToken().map(Secret::reveal).ifPresent(secrets::add);
        config.password().map(Secret::reveal).ifPresent(secrets::add);
        this.failures = new GlpiLegacyFailures(config.name(), secrets, clock);
        this.api = config.url().toString().replaceAll("/+$", "") + "/apirest.php/";
    }

    GlpiLegacyFailures failures() {
        return failures;
    }

    /** A read ({@code GET apirest.php/path?query}); safe to repeat. */
    GlpiLegacyResponse get(String path, Map<String, String> query, String what) throws DeliveryFailure {
        String suffix = query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return withSession(token -> request(path + suffix, token).GET().build(), what, false);
    }

    /** {@code POST apirest.php/path} with a JSON body; creates an item. */
    GlpiLegacyResponse postJson(String path, JsonNode body, String what) throws DeliveryFailure {
        String text = write(body);
        return withSession(token -> request(path, token)
                .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build(), what, true);
    }

    /** {@code POST apirest.php/path} with a {@code multipart/form-data} body (an upload); creates an item. */
    GlpiLegacyResponse postMultipart(String path, MultipartBody body, String what) throws DeliveryFailure {
        return withSession(token -> request(path, token)
                .setHeader("Content-Type", body.contentType())
                .POST(body.publisher()).build(), what, true);
    }

    /** The GLPI page of an item, for people: {@code front/ticket.form.php?id=N}. */
    String formUrl(String form, long id) {
        return config.url().toString().replaceAll("/+$", "") + "/front/" + form + ".form.php?id=" + id;
    }

    /** Ends the session, if one is open; never throws (GLPI's sessions also expire on their own). */
    @Override
    public void close() {
        String token = session.getAndSet(null);
        if (token == null) {
            return;
        }
        try {
            HttpResponse<String> answer = http.send(request("killSession", token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                log.info("GLPI target {}: killSession answered HTTP {}; the session ends when GLPI expires it",
                        config.name(), answer.statusCode());
            }
        } catch (IOException | RuntimeException e) {
            log.info("GLPI target {}: could not end the session ({}); it ends when GLPI expires it", config.name(),
                    failures.scrub(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private GlpiLegacyResponse withSession(Function<String, HttpRequest> build, String what, boolean creates)
            throws DeliveryFailure {
        String token = session();
        GlpiLegacyResponse answer = send(build.apply(token), what, creates);
        if (sessionInvalid(answer)) {
            // GLPI checks the session before doing anything, so the request had no effect: open a new one and repeat
            session.compareAndSet(token, null);
            log.info("GLPI target {}: the session expired; opening a new one", config.name());
            answer = send(build.apply(session()), what, creates);
        }
        return answer;
    }

    private static boolean sessionInvalid(GlpiLegacyResponse answer) {
        return answer.errorCode().filter(code -> code.equals("ERROR_SESSION_TOKEN_INVALID")).isPresent();
    }

    private String session() throws DeliveryFailure {
        String token = session.get();
        if (token != null) {
            return token;
        }
        HttpRequest.Builder init = HttpRequest.newBuilder(URI.create(api + "initSession"))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .GET();
        config.appToken().ifPresent(app -> init.header("App-Token", app.reveal()));
        init.header("Authorization", authorization());
        GlpiLegacyResponse answer = send(init.build(), "open a session", false);
        String opened = answer.body().path("session_token").asText("");
        if (answer.status() != 200) {
            throw failures.of(answer, "open a session", false);
        }
        if (opened.isEmpty()) {
            throw new DeliveryFailure(Kind.UNAUTHORIZED, "GLPI (target " + config.name() + ") answered initSession"
                    + " without a session token: check that the target's url is GLPI's root (the address before"
                    + " /front/...), where apirest.php is.");
        }
        session.set(opened);
        return opened;
    }

    private String authorization() throws DeliveryFailure {
        Optional<Secret> userToken = config.userToken().filter(t -> !t.isEmpty());
        if (userToken.isPresent()) {
            return "user_token " + userToken.get().reveal();
        }
        if (config.username().isPresent() && config.password().isPresent()) {
            String pair = config.username().get() + ":" + config.password().get().reveal();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        throw new DeliveryFailure(Kind.UNAUTHORIZED, "GLPI target " + config.name() + " has no credentials: set its"
                + " user-token, or its username and password.");
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Session-Token", token);
        config.appToken().ifPresent(app -> builder.header("App-Token", app.reveal()));
        return builder;
    }

    private GlpiLegacyResponse send(HttpRequest request, String what, boolean creates) throws DeliveryFailure {
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw failures.unreachable(Kind.RETRY, what, "no connection within " + config.timeout().toSeconds()
                    + " s", e);
        } catch (ConnectException e) {
            throw failures.unreachable(Kind.RETRY, what, "the connection was refused", e);
        } catch (HttpTimeoutException e) {
            throw failures.unreachable(creates ? Kind.UNCERTAIN : Kind.RETRY, what, "no answer within "
                    + config.timeout().toSeconds() + " s", e);
        } catch (IOException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException unreadable) {
                // The attachment could not be read from Intake's own database while it was sent
                throw new DeliveryFailure(Kind.RETRY, "Could not " + what + ": " + unreadable.getMessage()
                        + "; Intake tries again later.", Optional.empty(), e);
            }
            throw failures.unreachable(creates ? Kind.UNCERTAIN : Kind.RETRY, what, "the connection was lost ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.unreachable(creates ? Kind.UNCERTAIN : Kind.RETRY, what, "Intake was stopping", e);
        }
        return new GlpiLegacyResponse(answer.statusCode(), parse(answer.body()), answer.body(), answer.headers());
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            // Not JSON: a proxy's or web server's error page, kept as text for the message
            return MissingNode.getInstance();
        }
    }

    private String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
