package dev.intake.app.web;

import io.javalin.http.Context;

/**
 * Headers on every response. The Content-Security-Policy allows no script from anywhere but Intake's own static
 * files (none inline) and no remote images; frames only from Intake itself (the mail body frames, which get a
 * stricter policy of their own); forms may post to the providers, because Authorize redirects there.
 */
final class SecurityHeaders {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: cid:; "
            + "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self' https: http:; frame-ancestors 'none'; "
            + "base-uri 'none'";

    private SecurityHeaders() {
    }

    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
    }
}
