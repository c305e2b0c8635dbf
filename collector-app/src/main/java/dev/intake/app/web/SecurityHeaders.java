package dev.intake.app.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** A year: browsers that once reached Intake over https never try plain http for it again. */
    static final String HSTS = "max-age=31536000";

    static void apply(Context ctx, boolean https) {
        all(https).forEach(ctx::header);
    }

    /** Every header and its value, also for the pages Jetty writes itself (400, 414, 431). */
    static Map<String, String> all(boolean https) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Cache-Control", "no-store");
        if (https) {
            headers.put("Strict-Transport-Security", HSTS);
        }
        return headers;
    }
}
