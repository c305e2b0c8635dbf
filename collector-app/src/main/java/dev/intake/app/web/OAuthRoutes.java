package dev.intake.app.web;

import dev.intake.app.oauth.AuthorizationService;
import dev.intake.app.oauth.CallbackOutcome;
import dev.intake.provider.ProviderException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /mailboxes/{id}/authorize} sends the browser to the provider; {@code /oauth/callback} finishes the
 * attempt: GET with a query (Google) or a urlencoded POST (Entra's form_post). The callback requires no session:
 * the single-use state identifies the attempt.
 */
final class OAuthRoutes {

    private static final Logger log = LoggerFactory.getLogger(OAuthRoutes.class);

    private final AuthorizationService authorizations;
    private final Pages pages;

    OAuthRoutes(AuthorizationService authorizations, Pages pages) {
        this.authorizations = authorizations;
        this.pages = pages;
    }

    void register(RoutesConfig routes) {
        routes.get("/mailboxes/{id}/authorize", this::authorize);
        routes.get("/oauth/callback", ctx -> callback(ctx, false));
        routes.post("/oauth/callback", ctx -> callback(ctx, true));
    }

    private void authorize(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            ctx.redirect(authorizations.begin(id).toString(), io.javalin.http.HttpStatus.FOUND);
        } catch (AuthorizationService.UnknownMailboxException e) {
            pages.respond(ctx, 404, "result", Map.of("ok", false, "title", "No such mailbox", "explanation",
                    e.getMessage() + ". Add it under mailboxes in collector.yaml."));
        } catch (ProviderException e) {
            log.warn("Could not start the authorization of mailbox '{}': {}", id, e.getMessage());
            pages.respond(ctx, 502, "result", Map.of("ok", false, "title", "The provider cannot be asked right now",
                    "explanation", e.getMessage(), "mailboxId", id));
        }
    }

    private void callback(Context ctx, boolean form) {
        CallbackOutcome outcome = authorizations.complete(
                param(ctx, "code", form), param(ctx, "state", form), param(ctx, "error", form),
                param(ctx, "error_description", form));
        if (outcome instanceof CallbackOutcome.Authorized ok) {
            pages.respond(ctx, 200, "result", Map.of("ok", true, "title", "Mailbox authorized",
                    "explanation", "Mailbox '" + ok.mailboxId() + "' is authorized by " + ok.account()
                            + ". Intake collects it from now on.",
                    "mailboxId", ok.mailboxId()));
        } else if (outcome instanceof CallbackOutcome.Refused no) {
            pages.respond(ctx, no.status(), "result", Map.of("ok", false, "title", no.title(),
                    "explanation", no.explanation(), "mailboxId", no.mailboxId().orElse("")));
        }
    }

    private static Optional<String> param(Context ctx, String name, boolean form) {
        String value = form ? ctx.formParam(name) : ctx.queryParam(name);
        return Optional.ofNullable(value);
    }
}
