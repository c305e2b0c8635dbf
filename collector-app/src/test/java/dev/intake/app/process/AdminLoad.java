package dev.intake.app.process;

import dev.intake.app.support.IntakeFixture;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An admin who keeps browsing a node while it works: the mailbox list, the mailbox page, tickets and the JSON API, in
 * a loop, signing in again whenever the node was restarted under them. Each request reads the database and touches
 * the session (a write), as a real admin's does. Failures (the node is dead or starting) are waited out.
 */
final class AdminLoad {

    private final NodeProcess node;
    private final List<String> pages;
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger served = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private AdminLoad(NodeProcess node, String mailboxId) {
        this.node = node;
        this.pages = List.of("/", "/mailboxes/" + mailboxId, "/tickets", "/api/tickets?pageSize=50", "/api/mailboxes",
                "/providers");
        this.thread = new Thread(this::browse, "admin-load");
        thread.setDaemon(true);
    }

    /** Starts browsing the node's port (a restarted node keeps its port). */
    static AdminLoad start(NodeProcess node, String mailboxId) {
        AdminLoad load = new AdminLoad(node, mailboxId);
        load.thread.start();
        return load;
    }

    int pagesServed() {
        return served.get();
    }

    void stop() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void browse() {
        int i = 0;
        while (running) {
            try {
                HttpResponse<String> page = get(pages.get(i++ % pages.size()));
                if (page.statusCode() == 200) {
                    served.incrementAndGet();
                } else if (page.statusCode() == 302 || page.statusCode() == 303 || page.statusCode() == 401) {
                    signIn();
                }
                NodeProcess.pause(Duration.ofMillis(50));
            } catch (IOException | RuntimeException nodeDownOrStarting) {
                NodeProcess.pause(Duration.ofMillis(200));
            }
        }
    }

    private void signIn() throws IOException {
        HttpResponse<String> form = get("/sign-in");
        String body = "_signin=" + encode(IntakeFixture.formField(form.body(), "_signin"))
                + "&username=" + encode(IntakeFixture.ADMIN) + "&password=" + encode(IntakeFixture.ADMIN_PASSWORD);
        send(HttpRequest.newBuilder(node.url("/sign-in")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(node.url(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
