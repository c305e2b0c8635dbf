package dev.intake.app.web;

import dev.intake.app.apiclient.Scope;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The scope each API call needs from a bearer token. A call not listed here needs a scope no token has, so that a
 * route added without thought is closed to tokens rather than open to all of them.
 */
final class ApiScopes {

    private ApiScopes() {
    }

    static Optional<Scope> required(Context ctx) {
        String method = ctx.req().getMethod();
        String path = ctx.path();
        boolean read = method.equals("GET") || method.equals("HEAD");
        boolean write = method.equals("POST");
        if (path.equals("/api/tickets") || path.matches("/api/tickets/[^/]+") || path.matches("/api/attachments/[^/]+")
                || path.equals("/api/events")) {
            return read ? Optional.of(Scope.TICKETS_READ) : Optional.empty();
        }
        if (path.matches("/api/tickets/[^/]+/(status|notes|export)")) {
            return write ? Optional.of(Scope.TICKETS_WRITE) : Optional.empty();
        }
        if (path.equals("/api/deliveries")) {
            return read ? Optional.of(Scope.TICKETS_READ) : Optional.empty();
        }
        if (path.matches("/api/deliveries/[^/]+/(retry|skip)")) {
            return write ? Optional.of(Scope.TICKETS_WRITE) : Optional.empty();
        }
        if (path.equals("/api/mailboxes")) {
            return read ? Optional.of(Scope.MAILBOXES_READ) : Optional.empty();
        }
        if (path.matches("/api/mailboxes/[^/]+/(poll|pause|resume)")) {
            return write ? Optional.of(Scope.MAILBOXES_WRITE) : Optional.empty();
        }
        if (path.equals("/api/config")) {
            return read ? Optional.of(Scope.STATUS) : Optional.empty();
        }
        return Optional.empty();
    }
}
