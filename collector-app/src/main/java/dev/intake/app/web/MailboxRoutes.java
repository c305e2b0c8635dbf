package dev.intake.app.web;

import dev.intake.app.check.ConnectionReport;
import dev.intake.app.collect.PollRun;
import dev.intake.app.collect.RefusedImports;
import dev.intake.app.mail.RefusalReason;
import dev.intake.app.reconcile.Reconciler;
import dev.intake.app.reconcile.Reconciliation;
import dev.intake.app.status.MailboxStatus;
import dev.intake.app.ledger.Outcome;
import dev.intake.app.ledger.ProcessedMessage;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.config.Durations;
import dev.intake.config.MailboxConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The mailboxes list (the start page) and a mailbox's page, with the buttons that act on collection: Poll now,
 * Pause / Resume, and Import anyway for a refused message. Authorize lives in {@link OAuthRoutes}.
 */
final class MailboxRoutes {

    static final int RECENT_RUNS = 15;
    static final int RECENT_REFUSALS = 50;

    private static final Map<String, String> NOTICES = Map.of(
            "poll", "Poll requested: Intake is collecting this mailbox now. Reload in a moment to see the run.",
            "paused", "Paused: Intake does not collect this mailbox until you resume it.",
            "resumed", "Resumed: Intake collects this mailbox again on its schedule.",
            "reconciled", "Checked: the folders Intake moves mail to were compared with its records just now.",
            "reimported", "Moved back to the collected folder: Intake collects them like new mail (duplicates of "
                    + "anything already ticketed are recognised by their Message-ID).");

    private final AdminUi ui;
    private final Pages pages;
    private final Times times;

    MailboxRoutes(AdminUi ui, Pages pages) {
        this.ui = ui;
        this.pages = pages;
        this.times = new Times(ui.clock());
    }

    void register(RoutesConfig routes) {
        routes.get("/", ctx -> list(ctx, 200, null));
        routes.get("/mailboxes", ctx -> ctx.redirect("/", HttpStatus.MOVED_PERMANENTLY));
        routes.get("/mailboxes/{id}", ctx -> page(ctx, 200, null));
        routes.post("/mailboxes/{id}/poll", this::pollNow);
        routes.post("/mailboxes/{id}/test", this::testConnection);
        routes.post("/mailboxes/{id}/pause", ctx -> setPaused(ctx, true));
        routes.post("/mailboxes/{id}/resume", ctx -> setPaused(ctx, false));
        routes.post("/mailboxes/{id}/refused/{processed}/import", this::importAnyway);
        routes.post("/mailboxes/{id}/reconcile", this::reconcileNow);
        routes.post("/mailboxes/{id}/unrecorded/reimport", this::reimportUnrecorded);
    }

    List<MailboxView> views() {
        List<MailboxView> views = new ArrayList<>();
        for (MailboxStatus s : ui.statuses().all()) {
            views.add(view(s));
        }
        return views;
    }

    MailboxView view(MailboxStatus s) {
        long tickets = ui.tickets().count(new TicketQuery(Optional.of(s.id()), Optional.empty(), Optional.empty(), 1, 1));
        int refused = ui.ledger().outcomeCounts(s.id()).getOrDefault(Outcome.REFUSED, 0);
        boolean pausedInConfig = ui.config().get().mailbox(s.id()).map(MailboxConfig::paused).orElse(false);
        return MailboxView.of(s, times, tickets, refused, ui.mailboxes().pausedByAdmin(s.id()), pausedInConfig);
    }

    private void list(Context ctx, int status, String error) {
        Map<String, Object> model = PageModel.of(ctx, "mailboxes");
        model.put("mailboxes", views());
        model.put("notice", notice(ctx));
        model.put("error", error);
        model.put("back", "/");
        pages.respond(ctx, status, "mailboxes", model);
    }

    private void page(Context ctx, int status, String error) {
        page(ctx, status, error, null);
    }

    private void page(Context ctx, int status, String error, ConnectionReport report) {
        String id = ctx.pathParam("id");
        Optional<MailboxStatus> found = ui.statuses().find(id);
        if (found.isEmpty()) {
            notFound(ctx, id);
            return;
        }
        MailboxConfig config = ui.config().get().mailbox(id).orElseThrow();
        Map<String, Object> model = PageModel.of(ctx, "mailboxes");
        model.put("m", view(found.get()));
        model.put("config", Map.of(
                "folder", config.folder(),
                "pollEvery", Durations.format(config.pollEvery()),
                "postAction", config.postAction().toString().toLowerCase(Locale.ROOT).replace('_', ' '),
                "acceptedFolder", config.acceptedFolder().orElse(""),
                "refusedFolder", config.refusedFolder().orElse(""),
                "signInAccount", config.signInAccount()));
        model.put("runs", ui.runs().recent(id, RECENT_RUNS).stream().map(this::run).toList());
        model.put("refusals", ui.ledger().processed(id, Optional.of(Outcome.REFUSED), RECENT_REFUSALS).stream()
                .map(this::refusal).toList());
        model.put("reconciliation", ui.mailboxes().lastReconciliation(id).map(this::reconciliation).orElse(null));
        model.put("reconcilable", !Reconciler.folders(config).isEmpty());
        model.put("notice", notice(ctx));
        model.put("error", error);
        model.put("connection", report);
        model.put("setup", found.get().appOnly() ? ui.mailboxes().appOnlySetup(id) : List.of());
        model.put("back", "/mailboxes/" + id);
        pages.respond(ctx, status, "mailbox", model);
    }

    private void pollNow(Context ctx) {
        String id = ctx.pathParam("id");
        if (ui.statuses().find(id).isEmpty()) {
            notFound(ctx, id);
            return;
        }
        try {
            ui.mailboxes().pollNow(id);
        } catch (IllegalStateException notCollected) {
            showAgain(ctx, 409, "Poll now did not start: " + notCollected.getMessage()
                    + ". Authorize or resume the mailbox first.");
            return;
        }
        backTo(ctx, "poll");
    }

    /** Shows the mailbox page with what each step of the test found; nothing is stored, so a reload does not repeat it. */
    private void testConnection(Context ctx) {
        String id = ctx.pathParam("id");
        if (ui.statuses().find(id).isEmpty()) {
            notFound(ctx, id);
            return;
        }
        ConnectionReport report = ui.mailboxes().testConnection(id);
        page(ctx, 200, null, report);
    }

    private void setPaused(Context ctx, boolean paused) {
        String id = ctx.pathParam("id");
        if (ui.statuses().find(id).isEmpty()) {
            notFound(ctx, id);
            return;
        }
        ui.mailboxes().setPaused(id, paused);
        backTo(ctx, paused ? "paused" : "resumed");
    }

    private void importAnyway(Context ctx) {
        long processed;
        try {
            processed = Long.parseLong(ctx.pathParam("processed"));
        } catch (NumberFormatException e) {
            showAgain(ctx, 400, "That is not a collected message's number.");
            return;
        }
        try {
            long ticket = ui.imports().importAnyway(processed, AccessControl.session(ctx).username());
            ctx.redirect("/tickets/" + ticket + "?done=imported", HttpStatus.SEE_OTHER);
        } catch (RefusedImports.ImportRefusedException e) {
            showAgain(ctx, 409, "Import anyway did not work: " + e.getMessage());
        }
    }

    private void reconcileNow(Context ctx) {
        String id = ctx.pathParam("id");
        if (ui.statuses().find(id).isEmpty()) {
            notFound(ctx, id);
            return;
        }
        Reconciliation r = ui.mailboxes().reconcileNow(id);
        if (r.error().isPresent()) {
            showAgain(ctx, 502, "The check did not finish: " + r.error().get());
            return;
        }
        backTo(ctx, "reconciled");
    }

    private void reimportUnrecorded(Context ctx) {
        String id = ctx.pathParam("id");
        if (ui.statuses().find(id).isEmpty()) {
            notFound(ctx, id);
            return;
        }
        try {
            ui.mailboxes().reimportUnrecorded(id);
        } catch (IllegalStateException e) {
            showAgain(ctx, 502, "Re-import did not work: " + e.getMessage() + ". Nothing was moved that is not listed below.");
            return;
        }
        backTo(ctx, "reimported");
    }

    private Map<String, Object> reconciliation(Reconciliation r) {
        Map<String, Object> m = new HashMap<>();
        m.put("checkedAt", times.show(r.checkedAt()));
        m.put("since", times.show(r.since()));
        m.put("checked", r.checked());
        m.put("error", r.error().orElse(null));
        m.put("unrecorded", r.unrecorded().stream().map(u -> {
            Map<String, Object> row = new HashMap<>();
            row.put("folder", u.folder());
            row.put("uid", u.uid());
            row.put("messageId", u.messageId().orElse(null));
            row.put("subject", u.subject());
            row.put("sender", u.sender());
            row.put("received", u.receivedAt().map(times::show).orElse(null));
            return row;
        }).toList());
        return m;
    }

    private static String notice(Context ctx) {
        String done = ctx.queryParam("done");
        return done == null ? null : NOTICES.get(done);
    }

    /** After a button: back to the page it was pressed on, with a notice. */
    private static void backTo(Context ctx, String done) {
        String back = LocalPaths.safeOr(ctx.formParam("back"), "/mailboxes/" + ctx.pathParam("id"));
        String path = back.contains("?") ? back.substring(0, back.indexOf('?')) : back;
        ctx.redirect(path + "?done=" + done, HttpStatus.SEE_OTHER);
    }

    /** A button that could not do its work: the page it came from, with the reason. */
    private void showAgain(Context ctx, int status, String error) {
        if ("/".equals(ctx.formParam("back"))) {
            list(ctx, status, error);
        } else {
            page(ctx, status, error);
        }
    }

    private void notFound(Context ctx, String id) {
        Map<String, Object> model = PageModel.of(ctx, "mailboxes");
        model.put("ok", false);
        model.put("title", "No such mailbox");
        model.put("explanation", "Mailbox '" + id + "' is not configured. Mailboxes are added under mailboxes in collector.yaml.");
        pages.respond(ctx, 404, "result", model);
    }

    private Map<String, Object> run(PollRun r) {
        Map<String, Object> m = new HashMap<>();
        m.put("started", times.show(r.startedAt()));
        m.put("duration", r.finishedAt().map(f -> duration(Duration.between(r.startedAt(), f))).orElse("running"));
        m.put("node", r.node());
        m.put("fetched", r.fetched());
        m.put("tickets", r.tickets());
        m.put("followups", r.followups());
        m.put("refused", r.refused());
        m.put("failed", r.failed());
        m.put("outcome", r.outcome().orElse("running"));
        m.put("error", r.error().orElse(null));
        return m;
    }

    private Map<String, Object> refusal(ProcessedMessage p) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", p.id());
        m.put("at", times.show(p.processedAt()));
        m.put("reason", p.reason().map(RefusalReason::label).orElse("Refused"));
        m.put("detail", p.detail().orElse(null));
        m.put("subject", p.subject());
        m.put("sender", p.sender());
        m.put("rawKept", p.rawKept());
        return m;
    }

    private static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            long tenths = ms / 100; // truncated, not rounded: 1.99 s shows as 1.9 s
            return tenths / 10.0 + " s";
        }
        return d.toMinutes() + " min";
    }
}
