package dev.intake.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A redirect URI that only records what arrives ({@code GET ?code&state} from Google, a form POST from Entra), for
 * provider tests that have no app to receive the callback. Answers 200 with a short page.
 */
public final class FakeCallbackServer implements AutoCloseable {

    /** One arrival at the callback: the method and the query and form parameters together. */
    public record Callback(String method, Map<String, String> params) {

        public String param(String name) {
            return params.get(name);
        }
    }

    private final HttpServer server;
    private final List<Callback> received = new ArrayList<>();

    private FakeCallbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/oauth/callback", this::handle);
        server.start();
    }

    public static FakeCallbackServer start() {
        return new FakeCallbackServer();
    }

    /** {@code http://localhost:PORT/oauth/callback}, as Intake's own redirect URI looks. */
    public URI redirectUri() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/oauth/callback");
    }

    public synchronized List<Callback> received() {
        return List.copyOf(received);
    }

    /** The last callback; fails when none arrived. */
    public synchronized Callback last() {
        if (received.isEmpty()) {
            throw new IllegalStateException("nothing arrived at " + redirectUri());
        }
        return received.get(received.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            Map<String, String> params = new LinkedHashMap<>(FormEncoding.parse(exchange.getRequestURI().getRawQuery()));
            params.putAll(FormEncoding.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            synchronized (this) {
                received.add(new Callback(exchange.getRequestMethod(), Map.copyOf(params)));
            }
            byte[] body = "<html><body>Callback received.</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
