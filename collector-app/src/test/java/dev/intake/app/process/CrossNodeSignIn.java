package dev.intake.app.process;

import dev.intake.testing.Browser;
import dev.intake.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * A mailbox's sign-in that starts on one node and whose provider answer is delivered to another, as a load balancer
 * in front of several nodes may route it: the browser opens {@code /mailboxes/{id}/authorize} on node A, signs in at
 * the provider, and the provider's answer (Entra: a self-posting form; Google: a redirect with the code in the
 * query) reaches {@code /oauth/callback} on node B. Only the database connects the two nodes.
 */
final class CrossNodeSignIn {

    private static final HttpClient NO_REDIRECTS = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(TestCertificates.get().clientContext())
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private CrossNodeSignIn() {
    }

    /** Runs the flow and returns the page node B answered the callback with. */
    static Browser.Page authorize(String mailboxId, NodeProcess startOn, NodeProcess callbackTo) {
        HttpResponse<String> begin = get(startOn.url("/mailboxes/" + mailboxId + "/authorize"));
        if (begin.statusCode() != 302) {
            throw new IllegalStateException(startOn + " answered " + begin.statusCode() + " to the authorize request: "
                    + begin.body());
        }
        HttpResponse<String> answer = get(URI.create(location(begin)));
        Browser browser = Browser.trustingTestCertificates();
        if (answer.statusCode() == 302) {
            URI callback = URI.create(location(answer));
            return browser.open(callbackTo.url(callback.getRawPath() + "?" + callback.getRawQuery()));
        }
        Element form = Jsoup.parse(answer.body()).selectFirst("form");
        if (answer.statusCode() != 200 || form == null) {
            throw new IllegalStateException("the provider answered " + answer.statusCode() + " without a form: " + answer.body());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            fields.put(input.attr("name"), input.val());
        }
        return browser.post(callbackTo.url(URI.create(form.attr("action")).getRawPath()), fields);
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("a redirect without Location from " + response.uri()));
    }

    private static HttpResponse<String> get(URI uri) {
        try {
            return NO_REDIRECTS.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
