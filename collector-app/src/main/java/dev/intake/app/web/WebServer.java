package dev.intake.app.web;

import dev.intake.app.status.Readiness;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.intake.app.oauth.AuthorizationService;
import dev.intake.config.Secret;
import dev.intake.config.ServerConfig;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake's HTTP server: a thin layer of routes over the services. With an {@link AdminUi} it serves the admin's
 * pages and the JSON API behind sign-in; without one (while {@code intake authorize} waits) only the OAuth callback
 * and health.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;
    private final String address;
    private final LocalCommandRoutes localCommands = new LocalCommandRoutes();

    public WebServer(ServerConfig server, AuthorizationService authorizations, Supplier<Readiness> readiness,
            Supplier<String> metrics, Optional<AdminUi> ui) {
        Pages pages = new Pages();
        this.address = server.bind() + ":" + server.port();
        HealthRoutes health = new HealthRoutes(readiness, metrics);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.app = Javalin.create(config -> {
            config.jetty.host = server.bind();
            config.jetty.port = server.port();
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/static";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.jetty.modifyServer(jetty -> jetty.setErrorHandler(new JettyErrors(server.isHttps())));
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            config.routes.before(ctx -> SecurityHeaders.apply(ctx, server.isHttps()));
            health.register(config.routes);
            if (ui.isPresent()) {
                localCommands.register(config.routes);
                adminRoutes(config.routes, server, authorizations, ui.get(), pages);
            } else {
                new OAuthRoutes(authorizations, pages, null).registerCallback(config.routes);
            }
            config.routes.error(404, "*", ctx -> notFound(ctx, pages));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("Request {} {} failed", ctx.method(), ctx.path(), e);
                pages.respond(ctx, 500, "result", Map.of("ok", false, "title", "Something went wrong",
                        "explanation", "Intake could not handle this request; the log has the details. Nothing stored was changed."));
            });
        });
    }

    /** Sign-in, the gate in front of everything else, the pages and the API. */
    private static void adminRoutes(io.javalin.config.RoutesConfig routes, ServerConfig server,
            AuthorizationService authorizations, AdminUi ui, Pages pages) {
        SessionCookie cookie = new SessionCookie(server);
        AccessControl access = new AccessControl(ui, cookie, pages);
        routes.before(access::check);
        routes.before(ctx -> ctx.attribute(PageModel.REFUSED_CONFIG, ui.refusedConfig().get()));
        new SignInRoutes(ui, pages, cookie, access, server.isHttps()).register(routes);
        new OAuthRoutes(authorizations, pages, ui.config()).register(routes);
        new MailboxRoutes(ui, pages).register(routes);
        new TicketRoutes(ui, pages).register(routes);
        new DeliveryRoutes(ui, pages).register(routes);
        new ProviderRoutes(ui, pages).register(routes);
        new ApiRoutes(ui).register(routes);
        new OAuthServerRoutes(ui).register(routes);
        new ClientRoutes(ui, pages).register(routes);
        new AuthorizeRoutes(ui, pages).register(routes);
    }

    /** From now on commands beside the node run in it when they present {@code token}; see {@link LocalCommandRoutes}. */
    public void acceptLocalCommands(Secret token, LocalCommands commands) {
        localCommands.accept(token, commands);
    }

    /** Unknown paths: JSON for the API, a page with a way back for a browser. */
    private static void notFound(io.javalin.http.Context ctx, Pages pages) {
        if (ctx.endpoints().matchedHttpEndpoint() != null) {
            return; // a route answered 404 with a page of its own (no such ticket, no such mailbox)
        }
        if (ctx.path().startsWith("/api/")) {
            ctx.json(Map.of("error", "no such resource: " + ctx.path() + "; see the README's JSON API section"));
            return;
        }
        pages.respond(ctx, 404, "result", Map.of("ok", false, "title", "No such page",
                "explanation", "There is nothing at this address. Start again from the mailboxes."));
    }

    /**
     * @throws IllegalStateException with what to do when the port is taken or the address cannot be bound
     */
    public WebServer start() {
        try {
            app.start();
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            String host = address;
            throw new IllegalStateException(cause instanceof java.net.BindException
                    ? "Cannot listen on " + host + ": the port is already in use by another program (Port already in use)"
                            + "; stop that program, or set server.port to a free port"
                    : "Cannot listen on " + host + ": " + cause.getMessage() + "; check server.bind and server.port", e);
        }
        log.info("Listening on http://{}:{}", app.jettyServer().server().getURI().getHost(), app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Every HTTP route served, as "METHOD /path/{param}": what the OpenAPI document is checked against. */
    public java.util.List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path).toList();
    }

    @Override
    public void close() {
        app.stop();
    }
}
