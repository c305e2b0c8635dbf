package dev.intake.app.web;

import dev.intake.app.admin.AdminSession;
import dev.intake.config.ServerConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Optional;

/**
 * The admin's session cookie: HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), and, when
 * the public URL is https, Secure with the {@code __Host-} prefix (no other host or plain-http page can set it).
 * It lives as long as the browser session; the server ends it earlier (see {@code AdminSessions}).
 */
final class SessionCookie {

    private final boolean secure;
    private final String name;

    SessionCookie(ServerConfig server) {
        this.secure = server.isHttps();
        this.name = secure ? "__Host-intake_session" : "intake_session";
    }

    String name() {
        return name;
    }

    Optional<String> read(Context ctx) {
        return Optional.ofNullable(ctx.cookie(name));
    }

    void issue(Context ctx, AdminSession session) {
        ctx.cookie(cookie(session.id().reveal(), -1));
    }

    void clear(Context ctx) {
        ctx.cookie(cookie("", 0));
    }

    /** The cookie as it is set; package-visible so tests can check its attributes. */
    Cookie cookie(String value, int maxAge) {
        return new Cookie(name, value, "/", maxAge, secure, true, null, SameSite.LAX);
    }
}
