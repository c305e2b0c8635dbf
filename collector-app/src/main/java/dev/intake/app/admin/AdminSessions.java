package dev.intake.app.admin;

import dev.intake.config.Secret;
import java.util.Optional;

/** Signed-in admins' sessions, as the web layer uses them; {@link AdminSessionStore} keeps them in the database. */
public interface AdminSessions {

    /** Starts a new session (never reusing one the browser brought, so a planted id is worthless). */
    AdminSession open(String username);

    /** The live session a cookie value names, if any; notes that it was used. */
    Optional<AdminSession> find(String cookieValue);

    /** Ends a session (sign-out); unknown ids are ignored. */
    void close(Secret id);

    /** Whether {@code presented} is the CSRF token of {@code session}, compared in constant time. */
    static boolean csrfMatches(AdminSession session, String presented) {
        return presented != null && session.csrfToken().equals(Secret.of(presented));
    }
}
