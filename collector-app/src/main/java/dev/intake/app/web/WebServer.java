package dev.intake.app.web;

import dev.intake.app.oauth.AuthorizationService;
import dev.intake.config.ServerConfig;
import io.javalin.Javalin;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Intake's HTTP server: a thin layer of routes over the services. */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;

    public WebServer(ServerConfig server, AuthorizationService authorizations, Supplier<Readiness> readiness,
            Supplier<String> metrics, HomePage home) {
        Pages pages = new Pages();
        OAuthRoutes oauth = new OAuthRoutes(authorizations, pages);
        HealthRoutes health = new HealthRoutes(readiness, metrics);
        this.app = Javalin.create(config -> {
            config.jetty.host = server.bind();
            config.jetty.port = server.port();
            config.startup.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/static";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.routes.before(SecurityHeaders::apply);
            oauth.register(config.routes);
            health.register(config.routes);
            config.routes.get("/", ctx -> pages.respond(ctx, 200, "home", home.model()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("Request {} {} failed", ctx.method(), ctx.path(), e);
                pages.respond(ctx, 500, "result", java.util.Map.of("ok", false, "title", "Something went wrong",
                        "explanation", "Intake could not handle this request; the log has the details. Nothing stored was changed."));
            });
        });
    }

    public WebServer start() {
        app.start();
        log.info("Listening on http://{}:{}", app.jettyServer().server().getURI().getHost(), app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
