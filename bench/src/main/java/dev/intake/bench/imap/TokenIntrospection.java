package dev.intake.bench.imap;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake authorization server's token introspection endpoint (RFC 7662) as Dovecot's {@code oauth2} passdb calls it
 * ({@code introspection_mode = post}): {@code token=...} in a form, answered with {@code active} and the user the
 * token belongs to. A benchmark has one access token per mailbox, issued by the fake Entra endpoint.
 */
final class TokenIntrospection implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();

    /** @param users each accepted access token and the IMAP user it belongs to */
    TokenIntrospection(Map<String, String> users) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/introspect", exchange -> {
            requests.incrementAndGet();
            String token = "";
            try (InputStream in = exchange.getRequestBody()) {
                for (String pair : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("&")) {
                    if (pair.startsWith("token=")) {
                        token = URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
                    }
                }
            }
            String user = users.get(token);
            byte[] body = (user == null ? "{\"active\":false}"
                    : "{\"active\":true,\"username\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/introspect";
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
