package dev.intake.app.web;

import dev.intake.app.support.IntakeFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An HTTP client for Intake's pages that shows every response as it is (no redirects followed), keeps cookies like
 * a browser, and can send what a browser would not (custom headers, forged forms).
 */
final class WebClient {

    private final IntakeFixture fx;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;

    WebClient(IntakeFixture fx) {
        this.fx = fx;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Signs in as the fixture's admin through the sign-in form. */
    WebClient signIn() {
        HttpResponse<String> signedIn = signIn(IntakeFixture.ADMIN, IntakeFixture.ADMIN_PASSWORD);
        if (signedIn.statusCode() != 303) {
            throw new IllegalStateException("sign-in failed: HTTP " + signedIn.statusCode());
        }
        return this;
    }

    HttpResponse<String> signIn(String username, String password) {
        HttpResponse<String> form = get("/sign-in");
        return post("/sign-in", Map.of("_signin", IntakeFixture.formField(form.body(), "_signin"), "username", username,
                "password", password));
    }

    /** The CSRF token of the signed-in session, as the pages carry it. */
    String csrf() {
        return IntakeFixture.formField(get("/").body(), "_csrf");
    }

    Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst();
    }

    void forgetCookies() {
        cookies.getCookieStore().removeAll();
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(fx.url(path)).GET(), headers);
    }

    HttpResponse<byte[]> getBytes(String path) {
        try {
            return client.send(HttpRequest.newBuilder(fx.url(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(String path, Map<String, String> form, String... headers) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(fx.url(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static URI location(HttpResponse<?> response) {
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }
}
