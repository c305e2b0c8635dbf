package dev.intake.app.web;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another web site on this machine, for the browser tests: it serves a tracking pixel (and counts who loads it, the
 * way a sender's server would) and pages of its own, such as one that posts a forged form to Intake. It is reached
 * as {@code localhost}, a different site from Intake's {@code 127.0.0.1}.
 */
final class FakeWebSite implements AutoCloseable {

    private static final byte[] PIXEL = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    private final HttpServer server;
    private final AtomicInteger pixelLoads = new AtomicInteger();
    private volatile String page = "<!doctype html><title>empty</title>";

    FakeWebSite() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/pixel.png", exchange -> {
            pixelLoads.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, PIXEL.length);
            exchange.getResponseBody().write(PIXEL);
            exchange.close();
        });
        server.createContext("/page", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String pixelUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pixel.png";
    }

    /** Serves {@code html} at {@link #pageUrl()}. */
    void page(String html) {
        this.page = html;
    }

    String pageUrl() {
        return "http://localhost:" + server.getAddress().getPort() + "/page";
    }

    int pixelLoads() {
        return pixelLoads.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
