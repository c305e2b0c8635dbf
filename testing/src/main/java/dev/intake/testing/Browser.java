package dev.intake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What a browser does in an OAuth flow, without a browser: opens a URL, follows redirects across hosts (keeping
 * cookies per host), and submits a page that posts itself by script, as Entra's {@code response_mode=form_post}
 * answer does. Returns the last page. Not a general browser: no script runs except that one auto-submit.
 */
public final class Browser {

    private static final int MAX_HOPS = 20;

    /** A page the browser ended on. */
    public record Page(int status, URI uri, String body, Map<String, List<String>> headers) {

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0))
                    .findFirst();
        }
    }

    /** One request the browser made on the way. */
    public record Hop(String method, URI uri, Map<String, String> form, int status) {
    }

    private final HttpClient client;
    private final List<Hop> history = new ArrayList<>();

    /** A browser that trusts the JDK's default CAs plus nothing else. */
    public Browser() {
        this(null);
    }

    /** A browser whose TLS trust is {@code trust} (null: the JDK's default). */
    public Browser(SSLContext trust) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10));
        if (trust != null) {
            builder.sslContext(trust);
        }
        this.client = builder.build();
    }

    /** A browser that trusts the localhost certificate of {@link TestCertificates}, for the fakes' HTTPS. */
    public static Browser trustingTestCertificates() {
        return new Browser(TestCertificates.get().clientContext());
    }

    /** Opens {@code uri} and follows redirects and auto-posting forms to the end. */
    public Page open(URI uri) {
        return navigate("GET", uri, Map.of());
    }

    /** Posts a urlencoded form to {@code uri}, then follows like {@link #open(URI)}. */
    public Page post(URI uri, Map<String, String> form) {
        return navigate("POST", uri, form);
    }

    /** Every request made so far, in order. */
    public List<Hop> history() {
        return List.copyOf(history);
    }

    private Page navigate(String method, URI uri, Map<String, String> form) {
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            HttpResponse<String> response = send(method, uri, form);
            history.add(new Hop(method, uri, form, response.statusCode()));
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                // 307/308 repeat the method and body; the others become a GET, as browsers do
                if (status != 307 && status != 308) {
                    method = "GET";
                    form = Map.of();
                }
                uri = uri.resolve(location.get());
                continue;
            }
            Optional<Element> autoForm = autoSubmittingForm(response);
            if (autoForm.isPresent()) {
                Element f = autoForm.get();
                method = f.attr("method").isEmpty() ? "GET" : f.attr("method").toUpperCase(Locale.ROOT);
                form = fields(f);
                uri = uri.resolve(f.attr("action").isEmpty() ? uri.toString() : f.attr("action"));
                if (method.equals("GET")) {
                    uri = FormEncoding.withQuery(uri, form);
                    form = Map.of();
                }
                continue;
            }
            return new Page(status, uri, response.body(), response.headers().map());
        }
        throw new IllegalStateException("More than " + MAX_HOPS + " redirects; last request " + uri);
    }

    private HttpResponse<String> send(String method, URI uri, Map<String, String> form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/html,application/json;q=0.9,*/*;q=0.8");
        if (method.equals("POST")) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(FormEncoding.encode(form)));
        } else {
            request.GET();
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** A page that submits its first form by script as soon as it loads (Entra's form_post answer). */
    private static Optional<Element> autoSubmittingForm(HttpResponse<String> response) {
        boolean html = response.headers().firstValue("Content-Type").map(t -> t.contains("html")).orElse(false);
        if (response.statusCode() != 200 || !html) {
            return Optional.empty();
        }
        Document page = Jsoup.parse(response.body(), response.uri().toString());
        Element form = page.selectFirst("form");
        boolean submitsItself = page.select("script").stream().anyMatch(s -> s.data().contains(".submit()"))
                || page.body().attr("onload").contains("submit()");
        return form != null && submitsItself ? Optional.of(form) : Optional.empty();
    }

    private static Map<String, String> fields(Element form) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            if (!input.attr("type").equalsIgnoreCase("submit")) {
                fields.put(input.attr("name"), input.val());
            }
        }
        return fields;
    }
}
