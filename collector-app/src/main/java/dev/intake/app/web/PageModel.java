package dev.intake.app.web;

import dev.intake.app.admin.AdminSession;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/** What every signed-in page's layout needs: who is signed in, the CSRF token for its forms, the current section. */
final class PageModel {

    /** Set on every request: the problems of a refused configuration change, shown as a banner on every page. */
    static final String REFUSED_CONFIG = "intake.refusedConfig";

    private PageModel() {
    }

    static Map<String, Object> of(Context ctx, String section) {
        AdminSession session = AccessControl.session(ctx);
        Map<String, Object> model = new HashMap<>();
        model.put("admin", session.username());
        model.put("csrf", session.csrfToken().reveal());
        model.put("section", section);
        model.put("refusedConfig", ctx.attribute(REFUSED_CONFIG));
        return model;
    }
}
