package dev.intake.app.web;

import dev.intake.app.oauth.AuthorizationService;
import dev.intake.app.oauth.CallbackOutcome;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.provider.ProviderException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /mailboxes/{id}/authorize} (a signed-in admin's button, with its CSRF token) sends the browser to the
 * provider; {@code GET} of the same path shows that button on its own page, for links. {@code /oauth/callback}
 * finishes the attempt: GET with a query (Google) or a urlencoded POST (Entra's form_post). The callback requires
 * no session: the single-use state identifies the attempt.
 */
final class OAuthRoutes {

    private static final Logger log = LoggerFactory.getLogger(OAuthRoutes.class);

    private final AuthorizationService authorizations;
    private final Pages pages;
    private final Supplier<IntakeConfig> config;

    OAuthRoutes(AuthorizationService authorizations, Pages pages, Supplier<IntakeConfig> config) {
        this.authorizations = authorizations;
        this.pages = pages;
        this.config = config;
    }

    /** The callback only: what {@code intake authorize} serves while it waits. */
    void registerCallback(RoutesConfig routes) {
        routes.get("/oauth/callback", ctx -> callback(ctx, false));
        routes.post("/oauth/callback", ctx -> callback(ctx, true));
    }

    /** The callback and the admin's Authorize button. */
    void register(RoutesConfig routes) {
        registerCallback(routes);
        routes.get("/mailboxes/{id}/authorize", this::confirm);
        routes.post("/mailboxes/{id}/authorize", this::authorize);
    }

    private void confirm(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<MailboxConfig> mailbox = config.get().mailbox(id);
        if (mailbox.isEmpty()) {
            pages.respond(ctx, 404, "result", Map.of("ok", false, "title", "No such mailbox", "explanation",
                    "Mailbox '" + id + "' is not configured. Add it under mailboxes in collector.yaml."));
            return;
        }
        if (mailbox.get().appOnly()) {
            pages.respond(ctx, 409, "result", Map.of("ok", false, "title", "Nothing to authorize", "explanation",
                    new AuthorizationService.AppOnlyMailboxException(id).getMessage() + ".", "mailboxId", id));
            return;
        }
        Map<String, Object> model = PageModel.of(ctx, "mailboxes");
        model.put("mailboxId", id);
        model.put("provider", mailbox.get().provider());
        model.put("address", mailbox.get().address());
        model.put("signInAccount", mailbox.get().signInAccount());
        model.put("redirectUri", config.get().server().redirectUri().toString());
        pages.respond(ctx, 200, "authorize", model);
    }

    private void authorize(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            ctx.redirect(authorizations.begin(id).toString(), io.javalin.http.HttpStatus.FOUND);
        } catch (AuthorizationService.UnknownMailboxException e) {
            pages.respond(ctx, 404, "result", Map.of("ok", false, "title", "No such mailbox", "explanation",
                    e.getMessage() + ". Add it under mailboxes in collector.yaml."));
        } catch (AuthorizationService.AppOnlyMailboxException e) {
            pages.respond(ctx, 409, "result", Map.of("ok", false, "title", "Nothing to authorize", "explanation",
                    e.getMessage() + ".", "mailboxId", id));
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
