package dev.intake.app.web;

import dev.intake.app.delivery.Deliveries;
import dev.intake.app.delivery.ItemKind;
import dev.intake.app.delivery.ItemState;
import dev.intake.app.delivery.OutboxItem;
import dev.intake.app.delivery.TargetSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery to helpdesks and webhooks, for admins and API clients: the Delivery page (each target's state, backlog
 * and last success; the dead-letter list with Retry and Skip), and the JSON API over the same items.
 */
final class DeliveryRoutes {

    static final int PAGE_ITEMS = 100;
    static final int DEFAULT_ITEMS = 100;
    static final int MAX_ITEMS = 1000;

    private static final Logger audit = LoggerFactory.getLogger("dev.intake.app.audit");

    private final AdminUi ui;
    private final Pages pages;
    private final Times times;

    DeliveryRoutes(AdminUi ui, Pages pages) {
        this.ui = ui;
        this.pages = pages;
        this.times = new Times(ui.clock());
    }

    void register(RoutesConfig routes) {
        routes.get("/deliveries", this::page);
        routes.post("/deliveries/{id}/retry", ctx -> pageAction(ctx, true));
        routes.post("/deliveries/{id}/skip", ctx -> pageAction(ctx, false));
        routes.get("/api/deliveries", this::list);
        routes.post("/api/deliveries/{id}/retry", this::retry);
        routes.post("/api/deliveries/{id}/skip", this::skip);
    }

    // ---- the page --------------------------------------------------------------------------------------------

    private void page(Context ctx) {
        Map<String, Object> model = PageModel.of(ctx, "deliveries");
        Optional<String> target = Optional.ofNullable(ctx.queryParam("target")).filter(t -> !t.isBlank());
        ItemState state = Optional.ofNullable(ctx.queryParam("state")).flatMap(DeliveryRoutes::state).orElse(ItemState.DEAD);
        // The items before the targets' counts: an item the list shows as dead is then counted on its target's card
        // too. Read the other way round, an item that died in between was in the list but not in the count.
        model.put("items", deliveries().items(target, Optional.of(state), PAGE_ITEMS).stream().map(this::item).toList());
        model.put("targets", deliveries().targets().stream().map(this::target).toList());
        model.put("target", target.orElse(""));
        model.put("state", state.wireName());
        model.put("states", Arrays.stream(ItemState.values()).map(ItemState::wireName).toList());
        model.put("notice", notice(ctx));
        pages.respond(ctx, 200, "deliveries", model);
    }

    private Map<String, Object> target(TargetSummary t) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", t.name());
        m.put("type", t.type());
        m.put("status", t.status());
        m.put("tone", switch (t.status()) {
            case "ok" -> "ok";
            case "failing" -> "warn";
            default -> "bad";
        });
        m.put("problem", t.problem().orElse(null));
        m.put("lastSuccess", times.show(t.lastSuccessAt()));
        m.put("lastError", times.show(t.lastErrorAt()));
        m.put("blockedUntil", times.show(t.blockedUntil()));
        m.put("waiting", t.backlog().waiting());
        m.put("dead", t.backlog().dead());
        m.put("oldest", t.backlog().oldestWaiting().map(o -> age(Duration.between(o, ui.clock().instant()))).orElse(null));
        return m;
    }

    private Map<String, Object> item(OutboxItem i) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", i.id());
        m.put("target", i.target());
        m.put("kind", kind(i));
        m.put("ticket", i.ticket().orElse(null));
        m.put("state", i.state().wireName());
        m.put("attempts", i.attempts());
        m.put("reason", i.lastError().orElse(null));
        m.put("created", times.show(i.createdAt()));
        m.put("nextAttempt", i.state() == ItemState.PENDING ? times.show(i.nextAttemptAt()) : null);
        m.put("remoteId", i.remoteId().orElse(null));
        m.put("remoteUrl", i.remoteUrl().filter(u -> u.startsWith("https://") || u.startsWith("http://")).orElse(null));
        m.put("maybeSent", i.maybeSent());
        m.put("ticketItem", i.kind() == ItemKind.TICKET && !i.notification());
        m.put("canRetry", i.state() == ItemState.DEAD);
        m.put("canSkip", i.state() == ItemState.DEAD || i.state() == ItemState.PENDING);
        return m;
    }

    static String kind(OutboxItem i) {
        String kind = i.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return i.notification() ? kind + " (event)" : kind;
    }

    private void pageAction(Context ctx, boolean retry) {
        Optional<Long> id = TicketRoutes.number(ctx.pathParam("id"));
        Optional<OutboxItem> item = id.flatMap(deliveries()::item);
        String back = LocalPaths.safeOr(ctx.formParam("back"), "/deliveries");
        String path = back.contains("?") ? back.substring(0, back.indexOf('?')) : back;
        if (item.isEmpty()) {
            ctx.redirect(path + "?done=missing", HttpStatus.SEE_OTHER);
            return;
        }
        String actor = AccessControl.actor(ctx);
        if (retry) {
            boolean done = deliveries().retry(item.get().id());
            if (done) {
                audit.info("{} retried delivery {} to '{}'", actor, item.get().id(), item.get().target());
            }
            ctx.redirect(path + "?done=" + (done ? "retried" : "unchanged"), HttpStatus.SEE_OTHER);
        } else {
            int n = deliveries().skip(item.get().id(), new Deliveries.Actor(actor));
            if (n > 0) {
                audit.info("{} skipped delivery {} to '{}' ({} item(s))", actor, item.get().id(), item.get().target(), n);
            }
            ctx.redirect(path + "?done=" + (n > 0 ? "skipped&n=" + n : "unchanged"), HttpStatus.SEE_OTHER);
        }
    }

    private static String notice(Context ctx) {
        String done = ctx.queryParam("done");
        if (done == null) {
            return null;
        }
        return switch (done) {
            case "retried" -> "The item is queued again; it is sent within seconds if its target answers.";
            case "skipped" -> "Skipped " + Optional.ofNullable(ctx.queryParam("n")).filter(n -> n.matches("\\d{1,6}"))
                    .orElse("the") + " item(s): a skipped ticket takes its followups and attachments for that target "
                    + "with it.";
            case "unchanged" -> "Nothing changed: the item is no longer dead or waiting (another admin or node acted "
                    + "first).";
            case "missing" -> "There is no such item.";
            default -> null;
        };
    }

    private static String age(Duration d) {
        if (d.toMinutes() < 2) {
            return Math.max(0, d.toSeconds()) + " s";
        }
        if (d.toHours() < 2) {
            return d.toMinutes() + " min";
        }
        return d.toHours() < 48 ? d.toHours() + " h" : d.toDays() + " days";
    }

    // ---- the API ---------------------------------------------------------------------------------------------

    record DeliveryJson(long id, String deliveryId, String target, String kind, boolean event, String state,
            int attempts, String mailbox, Long ticket, Long followup, Long attachment, Instant createdAt,
            Instant nextAttemptAt, boolean maybeSent, String lastError, String remoteId, String remoteUrl,
            Instant finishedAt) {

        static DeliveryJson of(OutboxItem i) {
            return new DeliveryJson(i.id(), i.deliveryId(), i.target(), i.kind().name().toLowerCase(Locale.ROOT),
                    i.notification(), i.state().wireName(), i.attempts(), i.mailboxId().orElse(null),
                    i.ticket().orElse(null), i.followup().orElse(null), i.attachment().orElse(null), i.createdAt(),
                    i.state() == ItemState.PENDING ? i.nextAttemptAt() : null, i.maybeSent(), i.lastError().orElse(null),
                    i.remoteId().orElse(null), i.remoteUrl().orElse(null), i.finishedAt().orElse(null));
        }
    }

    record TargetJson(String name, String type, String status, String problem, Instant lastSuccessAt,
            Instant lastErrorAt, Instant blockedUntil, long backlog, Instant oldestPendingAt, long dead) {

        static TargetJson of(TargetSummary t) {
            return new TargetJson(t.name(), t.type(), t.status(), t.problem().orElse(null),
                    t.lastSuccessAt().orElse(null), t.lastErrorAt().orElse(null), t.blockedUntil().orElse(null),
                    t.backlog().waiting(), t.backlog().oldestWaiting().orElse(null), t.backlog().dead());
        }
    }

    record DeliveryPageJson(List<TargetJson> targets, List<DeliveryJson> deliveries) {
    }

    record RetryJson(long id, String state) {
    }

    record SkipJson(long id, int skipped) {
    }

    private void list(Context ctx) {
        Optional<String> target = Optional.ofNullable(ctx.queryParam("target")).map(String::strip)
                .filter(t -> !t.isEmpty());
        Optional<String> stateParam = Optional.ofNullable(ctx.queryParam("state")).map(String::strip)
                .filter(s -> !s.isEmpty());
        Optional<ItemState> state = stateParam.flatMap(DeliveryRoutes::state);
        if (stateParam.isPresent() && state.isEmpty()) {
            ApiRoutes.bad(ctx, "state: '" + stateParam.get() + "' is not a delivery state; use pending, sending, "
                    + "delivered, dead or skipped");
            return;
        }
        if (target.isPresent() && !deliveries().hasTarget(target.get())) {
            ctx.status(404).json(new ApiRoutes.ErrorJson("There is no delivery target '" + target.get()
                    + "' in collector.yaml."));
            return;
        }
        Optional<Integer> limit = ApiRoutes.positive(ctx, "limit", DEFAULT_ITEMS, MAX_ITEMS);
        if (limit.isEmpty()) {
            return;
        }
        // The items first, as on the page: what they show in a state is counted in the targets read after them.
        List<DeliveryJson> items = deliveries().items(target, state, limit.get()).stream().map(DeliveryJson::of).toList();
        List<TargetJson> targets = deliveries().targets().stream()
                .filter(t -> target.isEmpty() || t.name().equals(target.get())).map(TargetJson::of).toList();
        ctx.json(new DeliveryPageJson(targets, items));
    }

    private void retry(Context ctx) {
        Optional<OutboxItem> item = apiItem(ctx);
        if (item.isEmpty()) {
            return;
        }
        if (!deliveries().retry(item.get().id())) {
            ctx.status(409).json(new ApiRoutes.ErrorJson("Delivery " + item.get().id() + " is " + item.get().state()
                    .wireName() + ", not dead: only a dead item is retried (a waiting one is tried at its next attempt)."));
            return;
        }
        audit.info("{} retried delivery {} to '{}'", AccessControl.actor(ctx), item.get().id(), item.get().target());
        ctx.json(new RetryJson(item.get().id(), ItemState.PENDING.wireName()));
    }

    private void skip(Context ctx) {
        Optional<OutboxItem> item = apiItem(ctx);
        if (item.isEmpty()) {
            return;
        }
        String actor = AccessControl.actor(ctx);
        int n = deliveries().skip(item.get().id(), new Deliveries.Actor(actor));
        if (n == 0) {
            ctx.status(409).json(new ApiRoutes.ErrorJson("Delivery " + item.get().id() + " is " + item.get().state()
                    .wireName() + ": only a dead or waiting item is skipped."));
            return;
        }
        audit.info("{} skipped delivery {} to '{}' ({} item(s))", actor, item.get().id(), item.get().target(), n);
        ctx.json(new SkipJson(item.get().id(), n));
    }

    private Optional<OutboxItem> apiItem(Context ctx) {
        Optional<OutboxItem> item = TicketRoutes.number(ctx.pathParam("id")).flatMap(deliveries()::item);
        if (item.isEmpty()) {
            ctx.status(404).json(new ApiRoutes.ErrorJson("There is no delivery " + ctx.pathParam("id") + "."));
        }
        return item;
    }

    private static Optional<ItemState> state(String name) {
        return Arrays.stream(ItemState.values()).filter(s -> s.wireName().equals(name.strip())).findFirst();
    }

    private Deliveries deliveries() {
        return ui.deliveries();
    }
}
