package dev.intake.app.web;

import dev.intake.app.status.Readiness;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/live} (the process answers), {@code /health/ready} (it can do its work: database reachable,
 * migrations current, scheduler started; stale mailboxes are listed without making the node unready), and
 * {@code /metrics} in Prometheus text format. None of them needs a session.
 */
final class HealthRoutes {

    private final Supplier<Readiness> readiness;
    private final Supplier<String> metrics;

    HealthRoutes(Supplier<Readiness> readiness, Supplier<String> metrics) {
        this.readiness = readiness;
        this.metrics = metrics;
    }

    void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
        routes.get("/health/ready", this::ready);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get()));
    }

    private void ready(Context ctx) {
        Readiness r = readiness.get();
        ctx.status(r.ready() ? 200 : 503).json(r);
    }
}
