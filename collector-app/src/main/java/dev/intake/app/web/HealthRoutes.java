package dev.intake.app.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.Supplier;

/** {@code /health/live} (the process answers) and {@code /health/ready} (it can do its work), as JSON. */
final class HealthRoutes {

    private final Supplier<Readiness> readiness;

    HealthRoutes(Supplier<Readiness> readiness) {
        this.readiness = readiness;
    }

    void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> ctx.json(java.util.Map.of("status", "up")));
        routes.get("/health/ready", this::ready);
    }

    private void ready(Context ctx) {
        Readiness r = readiness.get();
        ctx.status(r.ready() ? 200 : 503).json(r);
    }
}
