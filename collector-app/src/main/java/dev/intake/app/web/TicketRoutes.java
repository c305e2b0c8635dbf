package dev.intake.app.web;

import dev.intake.app.delivery.ItemKind;
import dev.intake.app.delivery.ItemState;
import dev.intake.app.delivery.OutboxItem;
import java.util.LinkedHashMap;

import dev.intake.app.ticket.StoredAttachment;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The ticket list (filter by mailbox, search subject and requester, pages), a ticket's page (headers, body as
 * sanitized HTML in a sandboxed frame or as plain text, followups in order, attachments), the frames' documents
 * and attachment downloads.
 */
final class TicketRoutes {

    static final int PAGE_SIZE = 25;

    private final AdminUi ui;
    private final Pages pages;
    private final Times times;

    TicketRoutes(AdminUi ui, Pages pages) {
        this.ui = ui;
        this.pages = pages;
        this.times = new Times(ui.clock());
    }

    void register(RoutesConfig routes) {
        routes.get("/tickets", this::list);
        routes.get("/tickets/{number}", this::page);
        routes.get("/tickets/{number}/body", ctx -> frame(ctx, OptionalLong.empty()));
        routes.get("/tickets/{number}/followups/{followup}/body",
                ctx -> frame(ctx, number(ctx.pathParam("followup")).map(OptionalLong::of).orElse(OptionalLong.of(-1))));
        routes.get("/attachments/{id}", this::download);
    }

    private void list(Context ctx) {
        Optional<String> mailbox = Optional.ofNullable(ctx.queryParam("mailbox")).filter(s -> !s.isBlank());
        Optional<String> text = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(s -> !s.isEmpty());
        int page = number(ctx.queryParam("page")).filter(p -> p >= 1 && p <= 1_000_000).map(Long::intValue).orElse(1);
        TicketQuery query = new TicketQuery(mailbox, text, Optional.empty(), page, PAGE_SIZE);
        long total = ui.tickets().count(query);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TicketSummary t : ui.tickets().list(query)) {
            Map<String, Object> row = new HashMap<>();
            row.put("number", t.number());
            row.put("mailbox", t.mailboxId());
            row.put("subject", t.subject().isBlank() ? "(no subject)" : t.subject());
            row.put("requester", t.requester().map(Object::toString).orElse("(unknown sender)"));
            row.put("date", times.show(t.date()));
            row.put("followups", t.followups());
            row.put("attachments", t.attachments());
            rows.add(row);
        }
        long pageCount = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        Map<String, Object> model = PageModel.of(ctx, "tickets");
        model.put("tickets", rows);
        model.put("total", total);
        model.put("page", page);
        model.put("pages", pageCount);
        model.put("first", total == 0 ? 0 : (long) (page - 1) * PAGE_SIZE + 1);
        model.put("last", Math.min(total, (long) page * PAGE_SIZE));
        model.put("mailbox", mailbox.orElse(""));
        model.put("q", text.orElse(""));
        model.put("mailboxes", ui.config().get().mailboxes().stream().map(m -> m.id()).toList());
        model.put("prevQuery", page > 1 ? query(mailbox, text, page - 1) : null);
        model.put("nextQuery", page < pageCount ? query(mailbox, text, page + 1) : null);
        pages.respond(ctx, 200, "tickets", model);
    }

    private static String query(Optional<String> mailbox, Optional<String> text, int page) {
        StringBuilder q = new StringBuilder("?page=").append(page);
        mailbox.ifPresent(m -> q.append("&mailbox=").append(URLEncoder.encode(m, StandardCharsets.UTF_8)));
        text.ifPresent(t -> q.append("&q=").append(URLEncoder.encode(t, StandardCharsets.UTF_8)));
        return q.toString();
    }

    private void page(Context ctx) {
        Optional<Ticket> found = number(ctx.pathParam("number")).flatMap(ui.tickets()::find);
        if (found.isEmpty()) {
            notFound(ctx);
            return;
        }
        Ticket t = found.get();
        boolean plain = "text".equals(ctx.queryParam("view"));
        boolean remote = "1".equals(ctx.queryParam("remote"));
        Map<String, Object> model = PageModel.of(ctx, "tickets");
        model.put("t", t);
        model.put("subject", t.subject().isBlank() ? "(no subject)" : t.subject());
        model.put("requester", t.requester().map(Object::toString).orElse("(unknown sender)"));
        model.put("date", times.show(t.date()));
        model.put("created", times.show(t.createdAt()));
        model.put("cc", String.join(", ", t.cc()));
        model.put("messageId", t.messageId().orElse(""));
        model.put("notes", t.notes());
        model.put("plain", plain);
        model.put("remote", remote);
        model.put("body", message("/tickets/" + t.number() + "/body", t.bodyText(), t.bodyHtml(), plain, remote));
        model.put("attachments", attachments(t.attachments()));
        List<Map<String, Object>> followups = new ArrayList<>();
        for (Ticket.Followup f : t.followups()) {
            Map<String, Object> m = new HashMap<>();
            m.put("id", f.id());
            m.put("from", f.from().map(Object::toString).orElse("(unknown sender)"));
            m.put("date", times.show(f.date()));
            m.put("cc", String.join(", ", f.cc()));
            m.put("notes", f.notes());
            m.put("body", message("/tickets/" + t.number() + "/followups/" + f.id() + "/body", f.bodyText(), f.bodyHtml(),
                    plain, remote));
            m.put("attachments", attachments(f.attachments()));
            followups.add(m);
        }
        model.put("followups", followups);
        model.put("deliveries", deliveries(t.number()));
        model.put("notice", "imported".equals(ctx.queryParam("done"))
                ? "Imported: the refused message is now this ticket." : null);
        pages.respond(ctx, 200, "ticket", model);
    }

    /**
     * Per target: where the ticket stands (its ticket item's state, or the worst of its items'), how many of its items
     * arrived, and the link to it in the target.
     */
    private List<Map<String, Object>> deliveries(long ticket) {
        Map<String, List<OutboxItem>> byTarget = new LinkedHashMap<>();
        for (OutboxItem i : ui.deliveries().ofTicket(ticket)) {
            byTarget.computeIfAbsent(i.target(), k -> new ArrayList<>()).add(i);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, List<OutboxItem>> e : byTarget.entrySet()) {
            List<OutboxItem> items = e.getValue();
            Optional<OutboxItem> worst = items.stream().filter(i -> i.state() == ItemState.DEAD).findFirst()
                    .or(() -> items.stream().filter(i -> i.state() == ItemState.PENDING && i.lastError().isPresent())
                            .findFirst())
                    .or(() -> items.stream().filter(i -> i.state() == ItemState.PENDING || i.state() == ItemState.SENDING)
                            .findFirst());
            Optional<OutboxItem> first = items.stream().filter(i -> i.kind() == ItemKind.TICKET).findFirst();
            String state = worst.map(w -> w.state() == ItemState.PENDING && w.lastError().isPresent() ? "failing"
                    : w.state().wireName()).orElse(first.map(f -> f.state().wireName()).orElse("delivered"));
            Map<String, Object> m = new HashMap<>();
            m.put("target", e.getKey());
            m.put("state", state);
            m.put("tone", switch (state) {
                case "delivered" -> "ok";
                case "skipped", "pending", "sending" -> "muted";
                case "failing" -> "warn";
                default -> "bad";
            });
            m.put("problem", worst.flatMap(OutboxItem::lastError).orElse(null));
            m.put("total", items.size());
            m.put("delivered", items.stream().filter(i -> i.state() == ItemState.DELIVERED).count());
            m.put("dead", items.stream().filter(i -> i.state() == ItemState.DEAD).count());
            m.put("remoteId", first.flatMap(OutboxItem::remoteId).orElse(null));
            m.put("remoteUrl", first.flatMap(OutboxItem::remoteUrl)
                    .filter(u -> u.startsWith("https://") || u.startsWith("http://")).orElse(null));
            out.add(m);
        }
        return out;
    }

    /** One message's body as the page shows it: the HTML frame, or the plain text. */
    private static Map<String, Object> message(String frameUrl, String text, Optional<String> html, boolean plain,
            boolean remote) {
        Map<String, Object> m = new HashMap<>();
        m.put("text", text == null ? "" : text);
        m.put("hasHtml", html.isPresent());
        m.put("showHtml", html.isPresent() && !plain);
        m.put("frame", frameUrl + (remote ? "?remote=1" : ""));
        m.put("remoteImages", html.map(MailBodyFrame::remoteImages).orElse(0));
        return m;
    }

    private static List<Map<String, Object>> attachments(List<Ticket.AttachmentInfo> infos) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Ticket.AttachmentInfo a : infos) {
            Map<String, Object> m = new HashMap<>();
            m.put("id", a.id());
            m.put("name", a.fileName());
            m.put("type", a.contentType());
            m.put("size", size(a.size()));
            m.put("sha256", a.sha256());
            m.put("inline", a.inline());
            list.add(m);
        }
        return list;
    }

    private void frame(Context ctx, OptionalLong followupId) {
        Optional<Ticket> ticket = number(ctx.pathParam("number")).flatMap(ui.tickets()::find);
        Optional<String> html;
        List<Ticket.AttachmentInfo> attachments;
        if (ticket.isEmpty()) {
            html = Optional.empty();
            attachments = List.of();
        } else if (followupId.isEmpty()) {
            html = ticket.get().bodyHtml();
            attachments = ticket.get().attachments();
        } else {
            Optional<Ticket.Followup> f = ticket.get().followups().stream()
                    .filter(x -> x.id() == followupId.getAsLong()).findFirst();
            html = f.flatMap(Ticket.Followup::bodyHtml);
            attachments = f.map(Ticket.Followup::attachments).orElse(List.of());
        }
        if (html.isEmpty()) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("This message has no HTML body.");
            return;
        }
        MailBodyFrame.Rendered frame = MailBodyFrame.render(html.get(), attachments, ui.tickets()::attachment,
                "1".equals(ctx.queryParam("remote")));
        ctx.header("Content-Security-Policy", frame.contentSecurityPolicy());
        ctx.header("X-Frame-Options", "SAMEORIGIN");
        ctx.contentType("text/html; charset=utf-8").result(frame.html());
    }

    private void download(Context ctx) {
        Optional<StoredAttachment> found = number(ctx.pathParam("id")).flatMap(ui.tickets()::attachment);
        if (found.isEmpty()) {
            Map<String, Object> model = PageModel.of(ctx, "tickets");
            model.put("ok", false);
            model.put("title", "No such attachment");
            model.put("explanation", "There is no attachment #" + ctx.pathParam("id") + ".");
            pages.respond(ctx, 404, "result", model);
            return;
        }
        Downloads.send(ctx, found.get().info().fileName(), found.get().content());
    }

    private void notFound(Context ctx) {
        Map<String, Object> model = PageModel.of(ctx, "tickets");
        model.put("ok", false);
        model.put("title", "No such ticket");
        model.put("explanation", "There is no ticket #" + ctx.pathParam("number") + ". Search the ticket list instead.");
        pages.respond(ctx, 404, "result", model);
    }

    static Optional<Long> number(String s) {
        if (s == null || !s.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return Math.round(bytes / 102.4) / 10.0 + " KB";
        }
        return Math.round(bytes / (1024 * 102.4)) / 10.0 + " MB";
    }
}
