package dev.intake.app.web;

import dev.intake.app.admin.AdminSession;
import dev.intake.app.admin.InitialAdminStore;
import dev.intake.app.admin.SignIn;
import dev.intake.config.Secret;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-in and sign-out. The sign-in form carries a token that must match a short-lived cookie of its own, so that
 * another site cannot sign the browser in to an account of its choosing (login CSRF); sign-out is a POST with the
 * session's CSRF token.
 */
final class SignInRoutes {

    static final String FORM_COOKIE = "intake_signin";
    static final String FORM_FIELD = "_signin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdminUi ui;
    private final Pages pages;
    private final SessionCookie cookie;
    private final AccessControl access;
    private final boolean secure;

    SignInRoutes(AdminUi ui, Pages pages, SessionCookie cookie, AccessControl access, boolean secure) {
        this.ui = ui;
        this.pages = pages;
        this.cookie = cookie;
        this.access = access;
        this.secure = secure;
    }

    void register(RoutesConfig routes) {
        routes.get("/sign-in", this::form);
        routes.post("/sign-in", this::signIn);
        routes.post("/sign-out", this::signOut);
    }

    private void form(Context ctx) {
        String next = LocalPaths.safeOr(ctx.queryParam("next"), "/");
        if (access.signedIn(ctx).isPresent()) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        String message = ctx.queryParam("signedOut") != null ? "You are signed out." : null;
        show(ctx, 200, next, "", null, message);
    }

    private void signIn(Context ctx) {
        String next = LocalPaths.safeOr(ctx.formParam("next"), "/");
        String username = Optional.ofNullable(ctx.formParam("username")).orElse("");
        String expected = ctx.cookie(FORM_COOKIE);
        String presented = ctx.formParam(FORM_FIELD);
        if (expected == null || presented == null || !Secret.of(expected).equals(Secret.of(presented))) {
            show(ctx, 403, next, username, "This sign-in form has expired or did not come from Intake. Please sign in again.",
                    null);
            return;
        }
        Secret password = Secret.of(Optional.ofNullable(ctx.formParam("password")).orElse(""));
        SignIn.Result result = ui.signIn().attempt(username, password,
                ClientAddress.of(ctx, ui.config().get().api().trustedProxies()));
        if (result instanceof SignIn.Result.SignedIn ok) {
            AdminSession session = ok.session();
            cookie.issue(ctx, session);
            ctx.cookie(formCookie("", 0));
            ctx.redirect(next, HttpStatus.SEE_OTHER);
        } else if (result instanceof SignIn.Result.Throttled t) {
            long seconds = Math.max(1, t.retryAfter().toSeconds());
            ctx.header("Retry-After", Long.toString(seconds));
            show(ctx, 429, next, username, "Too many failed sign-ins. Wait " + waitText(seconds)
                    + " before trying again; if you forgot the password, ask whoever runs Intake to set a new hash in "
                    + "collector.yaml (intake admin hash-password).", null);
        } else {
            show(ctx, 401, next, username, "Wrong user name or password.", null);
        }
    }

    private void signOut(Context ctx) {
        // The gate let this POST through, so it carried the session's CSRF token.
        ui.sessions().close(AccessControl.session(ctx).id());
        cookie.clear(ctx);
        ctx.redirect("/sign-in?signedOut", HttpStatus.SEE_OTHER);
    }

    private void show(Context ctx, int status, String next, String username, String error, String message) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ctx.cookie(formCookie(token, 3600));
        Map<String, Object> model = new HashMap<>();
        model.put("formToken", token);
        model.put("next", next);
        model.put("username", username);
        model.put("error", error);
        model.put("message", message);
        model.put("initialAdmin", ui.admins().usesInitialAdmin());
        model.put("initialAdminName", InitialAdminStore.USERNAME);
        pages.respond(ctx, status, "sign-in", model);
    }

    private Cookie formCookie(String value, int maxAge) {
        return new Cookie(FORM_COOKIE, value, "/sign-in", maxAge, secure, true, null, SameSite.STRICT);
    }

    private static String waitText(long seconds) {
        return seconds < 90 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes";
    }
}
