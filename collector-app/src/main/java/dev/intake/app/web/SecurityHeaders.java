package dev.intake.app.web;

import io.javalin.http.Context;

/**
 * Headers on every response. The Content-Security-Policy allows no script from anywhere but Intake itself and no
 * remote images, so mail HTML shown in a page stays inert even if something slipped through sanitizing.
 */
final class SecurityHeaders {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: cid:; "
            + "font-src 'self'; connect-src 'self'; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'";

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
