package dev.intake.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The {@code delivery} part of {@link ConfigSummary}: targets by name, type and address; secrets only as "set". */
final class DeliverySummary {

    /** One line of the summary and how deep it is indented. */
    record Line(int indent, String text) {
    }

    private DeliverySummary() {
    }

    static List<Line> describe(DeliveryConfig d) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(0, "delivery: " + (d.targets().isEmpty() ? "no targets (tickets stay in Intake)"
                : "up to " + d.maxAttempts() + " attempts, retry after " + Durations.format(d.firstRetry())
                        + " doubling up to " + Durations.format(d.maxRetry()) + ", backlog warning after "
                        + Durations.format(d.backlogWarning()))));
        for (DeliveryTargetConfig t : d.targets()) {
            lines.add(new Line(1, t.name() + ": " + target(t) + ", timeout " + Durations.format(t.timeout())));
        }
        return lines;
    }

    private static String target(DeliveryTargetConfig t) {
        if (t instanceof GlpiTargetConfig g) {
            return "GLPI high-level API at " + g.url() + ", client id " + g.clientId()
                    + (g.clientSecret().isEmpty() ? "" : ", client secret set") + ", user " + g.username()
                    + (g.password().isEmpty() ? "" : ", password set") + ", scope " + g.scope() + fields(g.fields());
        }
        if (t instanceof GlpiLegacyTargetConfig g) {
            return "GLPI legacy REST API at " + g.url()
                    + (g.appToken().isPresent() ? ", app token set" : "")
                    + (g.userToken().isPresent() ? ", user token set" : "")
                    + g.username().map(u -> ", user " + u).orElse("")
                    + (g.password().isPresent() ? ", password set" : "") + fields(g.fields());
        }
        WebhookTargetConfig w = (WebhookTargetConfig) t;
        return "webhook " + w.url() + (w.secret().isEmpty() ? "" : ", signing secret set") + ", events "
                + (w.events().containsAll(DeliveryReader.EVENTS) ? "all"
                        : DeliveryReader.EVENTS.stream().filter(w.events()::contains).collect(Collectors.joining(" ")));
    }

    private static String fields(GlpiTicketFields f) {
        return ", entity " + f.entity().map(String::valueOf).orElse("(the user's)")
                + ", type " + (f.type() == 2 ? "request" : "incident")
                + ", urgency " + f.urgency()
                + f.category().map(c -> ", category " + c).orElse("")
                + f.requestType().map(r -> ", request type " + r).orElse("");
    }
}
