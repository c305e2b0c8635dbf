package dev.intake.app.web;

import dev.intake.app.admin.AdminSession;
import dev.intake.app.admin.AdminSessions;
import dev.intake.app.apiclient.ApiCaller;
import dev.intake.app.apiclient.ApiTokens;
import dev.intake.app.apiclient.Scope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gate in front of every route. Everything needs a signed-in admin except the sign-in page, the OAuth callback
 * (the provider's redirect carries no session, see {@code AuthorizationService}), health, metrics and static files.
 * Every state-changing request also needs the session's CSRF token, in the form field {@value #CSRF_FIELD} or the
 * header {@value #CSRF_HEADER}. Being a global filter, it protects a route nobody remembered to protect.
 */
final class AccessControl {

    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final String SESSION_ATTRIBUTE = "intake.admin-session";
    private static final String CALLER_ATTRIBUTE = "intake.api-caller";
    /**
     * Public, or guarded by their own means: the local command route takes a token and loopback only; the OAuth
     * endpoints authenticate the client themselves.
     */
    private static final Set<String> PUBLIC = Set.of("/sign-in", "/oauth/callback", "/metrics", LocalCommandRoutes.PATH,
            OAuthServerRoutes.TOKEN, OAuthServerRoutes.INTROSPECT, OAuthServerRoutes.REVOKE, OAuthServerRoutes.METADATA,
            ApiRoutes.OPENAPI);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AdminUi ui;
    private final SessionCookie cookie;
    private final Pages pages;

    AccessControl(AdminUi ui, SessionCookie cookie, Pages pages) {
        this.ui = ui;
        this.cookie = cookie;
        this.pages = pages;
    }

    void check(Context ctx) {
        String path = ctx.path();
        if (isPublic(ctx, path)) {
            return;
        }
        Optional<String> bearer = bearerToken(ctx);
        if (path.startsWith("/api/") && bearer.isPresent()) {
            checkBearer(ctx, bearer.get());
            return;
        }
        Optional<AdminSession> session = signedIn(ctx);
        if (session.isEmpty()) {
            refuseSignedOut(ctx, path);
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(SESSION_ATTRIBUTE, session.get());
        if (changesState(ctx)) {
            String token = Optional.ofNullable(ctx.header(CSRF_HEADER)).orElseGet(() -> ctx.formParam(CSRF_FIELD));
            if (!AdminSessions.csrfMatches(session.get(), token)) {
                refuse(ctx, 403, "This request was refused",
                        "It did not carry this session's security token, so Intake cannot tell that it came from its own "
                                + "page (it may have been sent by another site). Nothing was changed. Go back, reload the "
                                + "page and try again.");
                ctx.skipRemainingHandlers();
            }
        }
    }

    /**
     * A bearer token stands for its client: it needs the scope of the call, and no CSRF token (a browser never sends
     * it on its own, unlike a cookie).
     */
    private void checkBearer(Context ctx, String token) {
        String address = ClientAddress.of(ctx, ui.config().get().api().trustedProxies());
        ApiTokens.BearerCheck check = ui.apiTokens().checkBearer(token, address);
        if (check instanceof ApiTokens.BearerCheck.Rejected r) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            ctx.status(401).json(Map.of("error", "invalid_token", "error_description", r.description()));
            ctx.skipRemainingHandlers();
            return;
        }
        if (check instanceof ApiTokens.BearerCheck.OutsideRanges r) {
            ctx.status(403).json(Map.of("error", "access_denied", "error_description", r.description()));
            ctx.skipRemainingHandlers();
            return;
        }
        ApiCaller caller = ((ApiTokens.BearerCheck.Accepted) check).caller();
        if (caller.admin().isPresent() && !ui.admins().isAdmin(caller.admin().get())) {
            // The admin it acts for was removed from collector.yaml: what they allowed ends with them.
            ctx.status(401).json(Map.of("error", "invalid_token", "error_description", "The admin this token acts for "
                    + "is no longer an Intake admin."));
            ctx.skipRemainingHandlers();
            return;
        }
        Optional<Scope> needed = ApiScopes.required(ctx);
        if (needed.isEmpty()) {
            ctx.status(404).json(Map.of("error", "no such resource for an API client: " + ctx.method() + " " + ctx.path()
                    + "; see /api/openapi.json"));
            ctx.skipRemainingHandlers();
            return;
        }
        if (!caller.scopes().contains(needed.get())) {
            ctx.header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + needed.get().wireName() + "\"");
            ctx.status(403).json(Map.of("error", "insufficient_scope", "scope", needed.get().wireName(),
                    "error_description", "This call needs the scope " + needed.get().wireName() + ", which this token "
                            + "does not have (it has: " + Scope.names(caller.scopes()) + "). An Intake admin can give the "
                            + "client the scope; then get a new token."));
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.attribute(CALLER_ATTRIBUTE, caller);
    }

    private static Optional<String> bearerToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).strip());
    }

    /** Who makes an API call, as the run and audit log name them: the client of a token, or the signed-in admin. */
    static String actor(Context ctx) {
        ApiCaller caller = ctx.attribute(CALLER_ATTRIBUTE);
        return caller != null ? caller.actor() : "admin '" + session(ctx).username() + "'";
    }

    /** The signed-in admin of a request that passed the gate. */
    static AdminSession session(Context ctx) {
        AdminSession s = ctx.attribute(SESSION_ATTRIBUTE);
        if (s == null) {
            throw new IllegalStateException("route " + ctx.path() + " is public but asked for the admin's session");
        }
        return s;
    }

    /** The session of a request on a public route (the sign-in page), if the browser has one. */
    Optional<AdminSession> signedIn(Context ctx) {
        Optional<AdminSession> session = cookie.read(ctx).flatMap(ui.sessions()::find);
        if (session.isPresent() && !ui.admins().isAdmin(session.get().username())) {
            // The admin was removed from collector.yaml: their sessions end with it.
            ui.sessions().close(session.get().id());
            return Optional.empty();
        }
        return session;
    }

    private static boolean isPublic(Context ctx, String path) {
        boolean readOnly = SAFE_METHODS.contains(ctx.req().getMethod());
        return PUBLIC.contains(path)
                || (readOnly && (path.startsWith("/static/") || path.startsWith("/health/") || path.equals("/favicon.ico")));
    }

    /**
     * Both the method on the wire and the one Javalin routes by (which honours X-HTTP-Method-Override) count: a
     * request is state-changing if either says so.
     */
    private static boolean changesState(Context ctx) {
        HandlerType routed = ctx.method();
        return !SAFE_METHODS.contains(ctx.req().getMethod()) || !SAFE_METHODS.contains(routed.name());
    }

    private void refuseSignedOut(Context ctx, String path) {
        if (path.startsWith("/api/")) {
            ctx.header("WWW-Authenticate", "Bearer");
            ctx.status(401).json(Map.of("error", "Not signed in. Send an access token from /oauth2/token as "
                    + "Authorization: Bearer (see the README's Connecting another system), or sign in at /sign-in and "
                    + "send the session cookie."));
        } else if (!changesState(ctx)) {
            String next = ctx.queryString() == null ? path : path + "?" + ctx.queryString();
            String target = LocalPaths.safe(next).filter(n -> !n.equals("/")).map(n -> "/sign-in?next="
                    + URLEncoder.encode(n, StandardCharsets.UTF_8)).orElse("/sign-in");
            ctx.redirect(target, HttpStatus.SEE_OTHER);
        } else {
            refuse(ctx, 403, "You are not signed in",
                    "This request came without a session (it may have been sent by another site, or your session "
                            + "ended). Nothing was changed. Sign in and try again.");
        }
    }

    private void refuse(Context ctx, int status, String title, String explanation) {
        if (ctx.path().startsWith("/api/")) {
            ctx.status(status).json(Map.of("error", title + ". " + explanation));
        } else {
            pages.respond(ctx, status, "result", Map.of("ok", false, "title", title, "explanation", explanation,
                    "signIn", true));
        }
    }
}
