package dev.intake.app.web;

import dev.intake.config.IntakeConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.config.ProviderKinds;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured providers: what to register (the redirect URI), when each client secret expires, and a short
 * guide to registering Intake at Entra and at Google.
 */
final class ProviderRoutes {

    /** A secret that expires within this many days is shown as a warning. */
    static final int WARN_DAYS = 30;

    private final AdminUi ui;
    private final Pages pages;

    ProviderRoutes(AdminUi ui, Pages pages) {
        this.ui = ui;
        this.pages = pages;
    }

    void register(RoutesConfig routes) {
        routes.get("/providers", this::page);
    }

    private void page(Context ctx) {
        IntakeConfig cfg = ui.config().get();
        LocalDate today = LocalDate.ofInstant(ui.clock().instant(), ZoneOffset.UTC);
        List<Map<String, Object>> providers = new ArrayList<>();
        for (ProviderConfig p : cfg.providers().values()) {
            Map<String, Object> m = new HashMap<>();
            m.put("name", p.name());
            m.put("type", ProviderKinds.installed().displayName(p.type()));
            m.put("clientId", p.clientId());
            m.put("registration", p.settings().registration().stream()
                    .map(f -> Map.of("label", f.label(), "value", f.value())).toList());
            m.put("nextSecret", p.clientSecretNext().filter(s -> !s.isEmpty()).isPresent());
            m.put("secretKey", p.clientSecretKey());
            m.put("mailboxes", cfg.mailboxes().stream().filter(b -> b.provider().equals(p.name())).map(b -> b.id()).toList());
            p.clientSecretExpires().ifPresentOrElse(date -> {
                long days = ChronoUnit.DAYS.between(today, date);
                m.put("expires", date.toString());
                if (days < 0) {
                    m.put("expiry", "bad");
                    m.put("expiryText", "The client secret expired on " + date + ". Token requests fail until you create a "
                            + "new secret and put it in " + p.clientSecretKey() + ".");
                } else if (days <= WARN_DAYS) {
                    m.put("expiry", "warn");
                    m.put("expiryText", "The client secret expires " + (days == 0 ? "today" : days == 1 ? "tomorrow"
                            : "in " + days + " days") + " (" + date + "). Create a new one now and put it in "
                            + p.clientSecretKey() + "-next; Intake uses either until the old one is gone.");
                } else {
                    m.put("expiry", "ok");
                    m.put("expiryText", "The client secret is valid until " + date + " (" + days + " days).");
                }
            }, () -> {
                m.put("expiry", "muted");
                m.put("expiryText", "The client secret's expiry is not recorded. Add client-secret-expires (YYYY-MM-DD) "
                        + "to be warned here before it runs out.");
            });
            providers.add(m);
        }
        Map<String, Object> model = PageModel.of(ctx, "providers");
        model.put("providers", providers);
        model.put("redirectUri", cfg.server().redirectUri().toString());
        model.put("https", cfg.server().isHttps());
        pages.respond(ctx, 200, "providers", model);
    }
}
