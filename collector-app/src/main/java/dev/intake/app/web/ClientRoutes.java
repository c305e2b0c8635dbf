package dev.intake.app.web;

import dev.intake.app.apiclient.ApiClient;
import dev.intake.app.apiclient.ApiClients;
import dev.intake.app.apiclient.ClientSpec;
import dev.intake.app.apiclient.GrantType;
import dev.intake.app.apiclient.IpRanges;
import dev.intake.app.apiclient.Scope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Clients page: API clients registered by admins, created with their grants, scopes and IP ranges; the secret is
 * shown once (at creation and rotation) and never again, by any page.
 */
final class ClientRoutes {

    private static final Map<String, String> NOTICES = Map.of(
            "deactivated", "Deactivated: the client's tokens no longer work, on any node, and it gets no new ones.",
            "activated", "Activated: the client can get tokens again.",
            "deleted", "Deleted: the client and its tokens are gone.");

    private final AdminUi ui;
    private final Pages pages;
    private final Times times;

    ClientRoutes(AdminUi ui, Pages pages) {
        this.ui = ui;
        this.pages = pages;
        this.times = new Times(ui.clock());
    }

    void register(RoutesConfig routes) {
        routes.get("/clients", ctx -> list(ctx, 200, null, Map.of()));
        routes.post("/clients", this::create);
        routes.get("/clients/{id}", this::page);
        routes.post("/clients/{id}/rotate", this::rotate);
        routes.post("/clients/{id}/deactivate", ctx -> setActive(ctx, false));
        routes.post("/clients/{id}/activate", ctx -> setActive(ctx, true));
        routes.post("/clients/{id}/delete", this::delete);
    }

    private void list(Context ctx, int status, String error, Map<String, Object> form) {
        Map<String, Object> model = PageModel.of(ctx, "clients");
        model.put("clients", ui.apiClients().all().stream().map(this::view).toList());
        model.put("scopes", Arrays.stream(Scope.values()).map(s -> Map.of("name", s.wireName(), "description",
                s.description())).toList());
        model.put("grants", Arrays.stream(GrantType.values()).map(GrantType::wireName).toList());
        model.put("form", form);
        model.put("error", error);
        Optional.ofNullable(ctx.queryParam("done")).map(NOTICES::get).ifPresent(n -> model.put("notice", n));
        pages.respond(ctx, status, "clients", model);
    }

    private void create(Context ctx) {
        Map<String, Object> form = new HashMap<>();
        form.put("name", Optional.ofNullable(ctx.formParam("name")).orElse(""));
        form.put("comment", Optional.ofNullable(ctx.formParam("comment")).orElse(""));
        form.put("allowedIps", Optional.ofNullable(ctx.formParam("allowedIps")).orElse(""));
        form.put("redirectUris", Optional.ofNullable(ctx.formParam("redirectUris")).orElse(""));
        List<String> scopeNames = ctx.formParams("scope");
        List<String> grantNames = ctx.formParams("grant");
        form.put("scopes", scopeNames);
        form.put("grants", grantNames);
        ApiClients.ClientWithSecret created;
        try {
            Set<Scope> scopes = Scope.parseList(String.join(" ", scopeNames));
            Set<GrantType> grants = grantNames.isEmpty() ? EnumSet.of(GrantType.CLIENT_CREDENTIALS)
                    : GrantType.parseList(String.join(" ", grantNames));
            IpRanges ips = IpRanges.parse((String) form.get("allowedIps"));
            created = ui.apiClients().create(new ClientSpec((String) form.get("name"), (String) form.get("comment"), grants,
                    scopes, ips, ClientSpec.parseRedirectUris((String) form.get("redirectUris")),
                    ctx.formParam("inactive") == null));
        } catch (IllegalArgumentException e) {
            list(ctx, 400, "The client was not created: " + e.getMessage() + ".", form);
            return;
        }
        showSecret(ctx, created, "created");
    }

    private void page(Context ctx) {
        Optional<ApiClient> client = ui.apiClients().find(ctx.pathParam("id"));
        if (client.isEmpty()) {
            noSuchClient(ctx);
            return;
        }
        Map<String, Object> model = PageModel.of(ctx, "clients");
        model.put("client", view(client.get()));
        Optional.ofNullable(ctx.queryParam("done")).map(NOTICES::get).ifPresent(n -> model.put("notice", n));
        pages.respond(ctx, 200, "client", model);
    }

    private void rotate(Context ctx) {
        try {
            Optional<ApiClients.ClientWithSecret> rotated = ui.apiClients().rotateSecret(ctx.pathParam("id"));
            if (rotated.isEmpty()) {
                noSuchClient(ctx);
                return;
            }
            showSecret(ctx, rotated.get(), "rotated");
        } catch (IllegalStateException fromConfig) {
            refuse(ctx, fromConfig.getMessage());
        }
    }

    private void setActive(Context ctx, boolean active) {
        try {
            if (!ui.apiClients().setActive(ctx.pathParam("id"), active)) {
                noSuchClient(ctx);
                return;
            }
        } catch (IllegalStateException fromConfig) {
            refuse(ctx, fromConfig.getMessage());
            return;
        }
        ctx.redirect("/clients/" + ctx.pathParam("id") + "?done=" + (active ? "activated" : "deactivated"),
                HttpStatus.SEE_OTHER);
    }

    private void delete(Context ctx) {
        try {
            if (!ui.apiClients().delete(ctx.pathParam("id"))) {
                noSuchClient(ctx);
                return;
            }
        } catch (IllegalStateException fromConfig) {
            refuse(ctx, fromConfig.getMessage());
            return;
        }
        ctx.redirect("/clients?done=deleted", HttpStatus.SEE_OTHER);
    }

    /** The only page that ever holds the secret; the browser is told not to keep it. */
    private void showSecret(Context ctx, ApiClients.ClientWithSecret c, String what) {
        Map<String, Object> model = PageModel.of(ctx, "clients");
        model.put("client", view(c.client()));
        model.put("secret", c.secret().reveal());
        model.put("what", what);
        model.put("tokenUrl", base() + OAuthServerRoutes.TOKEN);
        ctx.header("Cache-Control", "no-store");
        pages.respond(ctx, what.equals("created") ? 201 : 200, "client-secret", model);
    }

    private String base() {
        String url = ui.config().get().server().publicUrl().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private void noSuchClient(Context ctx) {
        pages.respond(ctx, 404, "result", Map.of("ok", false, "title", "No such client",
                "explanation", "There is no API client '" + ctx.pathParam("id") + "'. It may have been deleted."));
    }

    private void refuse(Context ctx, String message) {
        pages.respond(ctx, 409, "result", Map.of("ok", false, "title", "Not changed", "explanation", message + "."));
    }

    private Map<String, Object> view(ApiClient c) {
        Map<String, Object> v = new HashMap<>();
        v.put("id", c.clientId());
        v.put("name", c.name());
        v.put("comment", c.comment());
        v.put("scopes", Scope.names(c.scopes()));
        v.put("grants", GrantType.names(c.grants()));
        v.put("allowedIps", c.allowedIps().isAnywhere() ? "anywhere" : c.allowedIps().toString());
        v.put("redirectUris", c.redirectUris().isEmpty() ? "none" : String.join(" ", c.redirectUris()));
        v.put("active", c.active());
        v.put("fromConfig", c.fromConfig());
        v.put("created", Times.exact(c.createdAt()));
        v.put("secretSet", Times.exact(c.secretSetAt()));
        List<String> lastUse = new ArrayList<>();
        c.lastUsedAt().ifPresent(t -> lastUse.add(times.ago(t) + " (" + Times.exact(t) + ")"));
        c.lastUsedIp().ifPresent(ip -> lastUse.add("from " + ip));
        v.put("lastUse", lastUse.isEmpty() ? "never" : String.join(" ", lastUse));
        return v;
    }
}
