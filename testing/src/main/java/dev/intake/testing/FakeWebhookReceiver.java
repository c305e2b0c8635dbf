package dev.intake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A receiver of Standard Webhooks, as a careful integration writes one: it verifies each request's signature and
 * timestamp (5 minutes' tolerance) with the specification's own Java library ({@code com.standardwebhooks}), so it
 * checks Intake's signing independently of Intake's code, answers 401 to a bad one, and processes each
 * {@code webhook-id} once: a resend of an id it already took is answered 200 and recorded as a duplicate.
 *
 * <p>It can be told to fail like real receivers do: the next requests answered with a status (5xx, 429 with
 * {@code Retry-After}, 410, a 4xx with a body), down (connection refused), or slow (the request is taken and
 * recorded, and the answer comes only after a delay, so the sender times out without knowing it arrived).
 */
public final class FakeWebhookReceiver implements AutoCloseable {

    /** The path the receiver listens on. */
    public static final String PATH = "/hooks/intake";

    /** A request that passed verification. */
    public record Delivery(String id, long timestamp, String body, String contentType) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("the webhook body is not JSON: " + body, e);
            }
        }
    }

    /** A request turned away with 401, and why (the library's words). */
    public record Refusal(Optional<String> id, String reason) {
    }

    /** Every request, whatever became of it: the id it carried and the status answered (0: none, it was too slow). */
    public record Arrival(Optional<String> id, int status) {
    }

    private record Canned(int status, String body, Optional<String> retryAfter) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Webhook verifier;
    private final int port;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-webhook-receiver");
        t.setDaemon(true);
        return t;
    });
    private HttpServer server;
    private boolean listening;

    private final List<Delivery> accepted = new ArrayList<>();
    private final List<Delivery> duplicates = new ArrayList<>();
    private final List<Refusal> refused = new ArrayList<>();
    private final List<Arrival> arrivals = new ArrayList<>();
    private final Set<String> seenIds = new HashSet<>();
    private final Deque<Canned> canned = new ArrayDeque<>();
    private Optional<Canned> always = Optional.empty();
    private int slowAnswers;
    private Duration slowBy = Duration.ZERO;

    private FakeWebhookReceiver(String secret) {
        this.verifier = new Webhook(secret);
        this.server = bind(0);
        this.listening = true;
        this.port = server.getAddress().getPort();
    }

    /** Starts a receiver that shares {@code secret} ({@code whsec_...}) with the sender. */
    public static FakeWebhookReceiver start(String secret) {
        return new FakeWebhookReceiver(secret);
    }

    private HttpServer bind(int onPort) {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s.createContext(PATH, this::handle);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    /** {@code http://127.0.0.1:PORT/hooks/intake}: local, so plain http is allowed in the configuration. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + PATH);
    }

    // ---- failure injection ----

    /** Answers the next {@code times} requests with {@code status} (and a short body) before looking at them. */
    public synchronized FakeWebhookReceiver failNext(int times, int status) {
        return failNext(times, status, "{\"error\": \"failure " + status + " injected by the test\"}", Optional.empty());
    }

    /** Like {@link #failNext(int, int)}, with the body and a {@code Retry-After} header as given. */
    public synchronized FakeWebhookReceiver failNext(int times, int status, String body, Optional<String> retryAfter) {
        for (int i = 0; i < times; i++) {
            canned.add(new Canned(status, body, retryAfter));
        }
        return this;
    }

    /** 410 Gone to every request from now on: the endpoint was removed on purpose. */
    public synchronized FakeWebhookReceiver gone() {
        always = Optional.of(new Canned(410, "{\"error\": \"this endpoint was removed\"}", Optional.empty()));
        return this;
    }

    /**
     * The next {@code times} valid requests are processed and recorded, and answered only after {@code delay}: a
     * sender with a shorter timeout never learns that they arrived.
     */
    public synchronized FakeWebhookReceiver answerSlowly(int times, Duration delay) {
        slowAnswers = times;
        slowBy = delay;
        return this;
    }

    /** Stops listening: connections are refused until {@link #up()}. Recorded requests are kept. */
    public synchronized void down() {
        if (listening) {
            server.stop(0);
            listening = false;
        }
    }

    /** Listens again on the same port. */
    public synchronized void up() {
        if (!listening) {
            server = bind(port);
            listening = true;
        }
    }

    // ---- what arrived ----

    /** Requests that passed verification, the first of each webhook-id, in arrival order. */
    public synchronized List<Delivery> accepted() {
        return List.copyOf(accepted);
    }

    /** Valid requests whose webhook-id had been taken before (answered 200, not processed again). */
    public synchronized List<Delivery> duplicates() {
        return List.copyOf(duplicates);
    }

    public synchronized List<Refusal> refused() {
        return List.copyOf(refused);
    }

    public synchronized List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    // ---- the receiver ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Optional<String> id = Optional.ofNullable(exchange.getRequestHeaders().getFirst("webhook-id"));
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, id, 405, "{\"error\": \"POST only\"}", Optional.empty());
                return;
            }
            Optional<Canned> failure = nextFailure();
            if (failure.isPresent()) {
                answer(exchange, id, failure.get().status(), failure.get().body(), failure.get().retryAfter());
                return;
            }
            try {
                verifier.verify(body, exchange.getRequestHeaders());
            } catch (WebhookVerificationException e) {
                synchronized (this) {
                    refused.add(new Refusal(id, e.getMessage()));
                }
                answer(exchange, id, 401, "{\"error\": \"" + e.getMessage() + "\"}", Optional.empty());
                return;
            }
            Delivery delivery = new Delivery(id.orElseThrow(),
                    Long.parseLong(exchange.getRequestHeaders().getFirst("webhook-timestamp")), body,
                    String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            Duration delay;
            synchronized (this) {
                if (seenIds.add(delivery.id())) {
                    accepted.add(delivery);
                } else {
                    duplicates.add(delivery);
                }
                delay = slowAnswers > 0 ? slowBy : Duration.ZERO;
                slowAnswers = Math.max(0, slowAnswers - 1);
            }
            if (!delay.isZero()) {
                sleep(delay);
                synchronized (this) {
                    arrivals.add(new Arrival(id, 0));
                }
                return;
            }
            answer(exchange, id, 204, "", Optional.empty());
        }
    }

    private synchronized Optional<Canned> nextFailure() {
        Canned next = canned.poll();
        return next != null ? Optional.of(next) : always;
    }

    private void answer(HttpExchange exchange, Optional<String> id, int status, String body, Optional<String> retryAfter)
            throws IOException {
        synchronized (this) {
            arrivals.add(new Arrival(id, status));
        }
        retryAfter.ifPresent(r -> exchange.getResponseHeaders().set("Retry-After", r));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        down();
        executor.shutdownNow();
    }
}
