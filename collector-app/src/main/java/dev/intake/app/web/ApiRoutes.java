package dev.intake.app.web;

import dev.intake.app.events.IntegrationEvent;
import dev.intake.app.status.MailboxStatus;
import dev.intake.app.ticket.TicketStatus;
import dev.intake.app.ledger.Outcome;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API, for an admin's session and for API clients' bearer tokens ({@link AccessControl} checks both, and the
 * scope of each call). Shapes are plain records, described in {@code /api/openapi.json} and the README; times are
 * ISO-8601 UTC, absent values are null. Every write is logged with who made it.
 */
final class ApiRoutes {

    static final String OPENAPI = "/api/openapi.json";
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    static final int DEFAULT_EVENTS = 100;
    static final int MAX_EVENTS = 1000;

    private static final Logger audit = LoggerFactory.getLogger("dev.intake.app.audit");

    private final AdminUi ui;

    ApiRoutes(AdminUi ui) {
        this.ui = ui;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/mailboxes", this::mailboxes);
        routes.get("/api/config", this::configStatus);
        routes.get("/api/tickets", this::tickets);
        routes.get("/api/tickets/{number}", this::ticket);
        routes.get("/api/attachments/{id}", this::attachment);
        routes.post("/api/tickets/{number}/status", this::setStatus);
        routes.post("/api/tickets/{number}/notes", this::addNote);
        routes.post("/api/tickets/{number}/export", this::markExported);
        routes.post("/api/mailboxes/{id}/poll", this::poll);
        routes.post("/api/mailboxes/{id}/pause", ctx -> pause(ctx, true));
        routes.post("/api/mailboxes/{id}/resume", ctx -> pause(ctx, false));
        routes.get("/api/events", this::events);
        routes.get(OPENAPI, ctx -> ctx.contentType("application/json").result(OpenApi.document()));
    }

    record MailboxJson(String id, String provider, String address, String delegate, String auth, String state, String account,
            Instant authorizedAt, Instant lastPollAt, Instant lastSuccessAt, String lastError, Instant lastErrorAt,
            int consecutiveFailures, boolean stale, long tickets, int refused, int unrecorded, String mode, IdleJson idle) {
    }

    /** For a mailbox in mode: idle; state is idling, fallback, reconnecting, starting or waiting. */
    record IdleJson(String state, String node, Instant since, String summary) {
    }

    record PersonJson(String address, String name) {
        static PersonJson of(Optional<Person> p) {
            return p.map(x -> new PersonJson(x.address(), x.name().orElse(null))).orElse(null);
        }
    }

    record TicketLineJson(long number, String mailbox, String subject, PersonJson requester, Instant date, int followups,
            int attachments, String url) {
    }

    record TicketPageJson(int page, int pageSize, long total, List<TicketLineJson> tickets) {
    }

    record AttachmentJson(long id, String fileName, String contentType, long size, String sha256, boolean inline,
            String downloadUrl) {
    }

    record FollowupJson(long id, PersonJson from, List<String> cc, Instant date, String bodyText, String bodyHtml,
            String messageId, List<AttachmentJson> attachments) {
    }

    record TicketJson(long number, String mailbox, String subject, PersonJson requester, List<String> cc, Instant date,
            String bodyText, String bodyHtml, String messageId, List<String> notes, Instant createdAt,
            List<FollowupJson> followups, List<AttachmentJson> attachments, String status, ExportJson export,
            List<InternalNoteJson> internalNotes, List<DeliveryRoutes.DeliveryJson> deliveries) {
    }

    record ExportJson(String externalId, String url, Instant at) {
    }

    record InternalNoteJson(long id, String author, String body, Instant createdAt) {
    }

    record StatusBody(String status) {
    }

    record NoteBody(String body) {
    }

    record ExportBody(String externalId, String url) {
    }

    record EventJson(String cursor, String type, String mailbox, Long ticket, Long followup, String detail,
            Instant occurredAt) {
    }

    record EventPageJson(List<EventJson> events, String next) {
    }

    record ErrorJson(String error) {
    }

    private void mailboxes(Context ctx) {
        List<MailboxJson> list = ui.statuses().all().stream().map(this::mailbox).toList();
        ctx.json(Map.of("mailboxes", list));
    }

    private MailboxJson mailbox(MailboxStatus s) {
        long tickets = ui.tickets().count(new TicketQuery(Optional.of(s.id()), Optional.empty(), Optional.empty(), 1, 1));
        int refused = ui.ledger().outcomeCounts(s.id()).getOrDefault(Outcome.REFUSED, 0);
        return new MailboxJson(s.id(), s.provider(), s.address(), s.delegate().orElse(null),
                s.appOnly() ? "app" : "delegated", s.display(),
                s.account().orElse(null), s.authorizedAt().orElse(null), s.lastPollAt().orElse(null),
                s.lastSuccessAt().orElse(null), s.lastError().orElse(null), s.lastErrorAt().orElse(null),
                s.consecutiveFailures(), s.stale(), tickets, refused, s.unrecorded(), s.idle().isPresent() ? "idle" : "poll",
                s.idle().map(i -> new IdleJson(i.state(), i.node().orElse(null), i.since().orElse(null), i.summary()))
                        .orElse(null));
    }

    /** Whether the last change to the configuration was refused, and why: for monitoring that reads the API. */
    private void configStatus(Context ctx) {
        List<String> refused = ui.refusedConfig().get().stream().map(Object::toString).toList();
        ctx.json(Map.of("lastChangeRefused", !refused.isEmpty(), "problems", refused));
    }

    private void tickets(Context ctx) {
        Optional<String> mailbox = Optional.ofNullable(ctx.queryParam("mailbox")).filter(s -> !s.isBlank());
        Optional<String> text = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(s -> !s.isEmpty());
        Optional<Instant> since;
        try {
            since = Optional.ofNullable(ctx.queryParam("since")).filter(s -> !s.isBlank()).map(ApiRoutes::instant);
        } catch (DateTimeParseException e) {
            bad(ctx, "since: '" + ctx.queryParam("since") + "' is not a date or time; use e.g. 2026-11-23 or "
                    + "2026-11-23T09:00:00Z");
            return;
        }
        Optional<Integer> page = positive(ctx, "page", 1, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        Optional<Integer> size = positive(ctx, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        if (page.isEmpty() || size.isEmpty()) {
            return;
        }
        TicketQuery query = new TicketQuery(mailbox, text, since, page.get(), size.get());
        List<TicketLineJson> lines = ui.tickets().list(query).stream().map(ApiRoutes::line).toList();
        ctx.json(new TicketPageJson(page.get(), size.get(), ui.tickets().count(query), lines));
    }

    private static TicketLineJson line(TicketSummary t) {
        return new TicketLineJson(t.number(), t.mailboxId(), t.subject(), PersonJson.of(t.requester()), t.date(),
                t.followups(), t.attachments(), "/api/tickets/" + t.number());
    }

    private void ticket(Context ctx) {
        Optional<Ticket> found = TicketRoutes.number(ctx.pathParam("number")).flatMap(ui.tickets()::find);
        if (found.isEmpty()) {
            ctx.status(404).json(new ErrorJson("There is no ticket #" + ctx.pathParam("number") + "."));
            return;
        }
        Ticket t = found.get();
        List<FollowupJson> followups = t.followups().stream()
                .map(f -> new FollowupJson(f.id(), PersonJson.of(f.from()), f.cc(), f.date(), f.bodyText(),
                        f.bodyHtml().orElse(null), f.messageId().orElse(null), attachments(f.attachments())))
                .toList();
        ctx.json(new TicketJson(t.number(), t.mailboxId(), t.subject(), PersonJson.of(t.requester()), t.cc(), t.date(),
                t.bodyText(), t.bodyHtml().orElse(null), t.messageId().orElse(null), t.notes(), t.createdAt(), followups,
                attachments(t.attachments()), t.status().wireName(),
                t.export().map(e -> new ExportJson(e.externalId(), e.url().orElse(null), e.at())).orElse(null),
                t.internalNotes().stream().map(n -> new InternalNoteJson(n.id(), n.author(), n.body(), n.createdAt()))
                        .toList(),
                ui.deliveries().ofTicket(t.number()).stream().map(DeliveryRoutes.DeliveryJson::of).toList()));
    }

    /** The same download as the pages' /attachments/{id}, where a bearer token reaches it. */
    private void attachment(Context ctx) {
        Optional<dev.intake.app.ticket.StoredAttachment> found = TicketRoutes.number(ctx.pathParam("id"))
                .flatMap(ui.tickets()::attachment);
        if (found.isEmpty()) {
            ctx.status(404).json(new ErrorJson("There is no attachment #" + ctx.pathParam("id") + "."));
            return;
        }
        Downloads.send(ctx, found.get().info().fileName(), found.get().content());
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    private void setStatus(Context ctx) {
        Optional<Long> number = ticketNumber(ctx);
        Optional<StatusBody> body = body(ctx, StatusBody.class, "{\"status\": \"closed\"}");
        if (number.isEmpty() || body.isEmpty()) {
            return;
        }
        Optional<TicketStatus> status = Optional.ofNullable(body.get().status()).flatMap(TicketStatus::of);
        if (status.isEmpty()) {
            bad(ctx, "status: '" + body.get().status() + "' is not a ticket status; use new, open or closed");
            return;
        }
        if (!ui.ticketUpdates().setStatus(number.get(), status.get())) {
            noTicket(ctx);
            return;
        }
        audit.info("{} set ticket #{} to {}", AccessControl.actor(ctx), number.get(), status.get().wireName());
        ctx.json(Map.of("number", number.get(), "status", status.get().wireName()));
    }

    private void addNote(Context ctx) {
        Optional<Long> number = ticketNumber(ctx);
        Optional<NoteBody> body = body(ctx, NoteBody.class, "{\"body\": \"Called the customer back.\"}");
        if (number.isEmpty() || body.isEmpty()) {
            return;
        }
        String text = Optional.ofNullable(body.get().body()).map(String::strip).orElse("");
        if (text.isEmpty() || text.length() > 100_000) {
            bad(ctx, "body: write the note's text (1 to 100000 characters)");
            return;
        }
        String actor = AccessControl.actor(ctx);
        Optional<Long> note = ui.ticketUpdates().addInternalNote(number.get(), actor, text);
        if (note.isEmpty()) {
            noTicket(ctx);
            return;
        }
        audit.info("{} added internal note {} to ticket #{}", actor, note.get(), number.get());
        ctx.status(201).json(Map.of("number", number.get(), "note", note.get()));
    }

    private void markExported(Context ctx) {
        Optional<Long> number = ticketNumber(ctx);
        Optional<ExportBody> body = body(ctx, ExportBody.class,
                "{\"externalId\": \"GLPI-4711\", \"url\": \"https://helpdesk.example.com/ticket/4711\"}");
        if (number.isEmpty() || body.isEmpty()) {
            return;
        }
        String id = Optional.ofNullable(body.get().externalId()).map(String::strip).orElse("");
        if (id.isEmpty() || id.length() > 200) {
            bad(ctx, "externalId: give the ticket's id in the other system (1 to 200 characters)");
            return;
        }
        Optional<String> url = Optional.ofNullable(body.get().url()).map(String::strip).filter(u -> !u.isEmpty());
        if (url.isPresent() && !url.get().matches("https?://\\S{1,1990}")) {
            bad(ctx, "url: '" + url.get() + "' is not an http(s) URL");
            return;
        }
        if (!ui.ticketUpdates().markExported(number.get(), id, url)) {
            noTicket(ctx);
            return;
        }
        audit.info("{} marked ticket #{} exported as {}{}", AccessControl.actor(ctx), number.get(), id,
                url.map(u -> " (" + u + ")").orElse(""));
        ctx.json(Map.of("number", number.get(), "externalId", id, "url", url.orElse("")));
    }

    private void poll(Context ctx) {
        Optional<String> mailbox = mailboxId(ctx);
        if (mailbox.isEmpty()) {
            return;
        }
        try {
            ui.mailboxes().pollNow(mailbox.get());
        } catch (IllegalStateException notCollected) {
            ctx.status(409).json(new ErrorJson("Mailbox '" + mailbox.get() + "' is not being collected: "
                    + notCollected.getMessage()));
            return;
        }
        audit.info("{} asked to poll mailbox '{}' now", AccessControl.actor(ctx), mailbox.get());
        ctx.status(202).json(Map.of("mailbox", mailbox.get(), "poll", "started"));
    }

    private void pause(Context ctx, boolean paused) {
        Optional<String> mailbox = mailboxId(ctx);
        if (mailbox.isEmpty()) {
            return;
        }
        ui.mailboxes().setPaused(mailbox.get(), paused);
        audit.info("{} {} mailbox '{}'", AccessControl.actor(ctx), paused ? "paused" : "resumed", mailbox.get());
        ctx.json(Map.of("mailbox", mailbox.get(), "pausedByAdmin", paused));
    }

    private void events(Context ctx) {
        String after = Optional.ofNullable(ctx.queryParam("after")).map(String::strip).orElse("0");
        if (!after.matches("\\d{1,18}")) {
            bad(ctx, "after: '" + after + "' is not a cursor; pass the 'next' of the previous page, or 0 to start");
            return;
        }
        Optional<Integer> limit = positive(ctx, "limit", DEFAULT_EVENTS, MAX_EVENTS);
        if (limit.isEmpty()) {
            return;
        }
        List<IntegrationEvent> events = ui.events().after(Long.parseLong(after), limit.get());
        List<EventJson> json = events.stream().map(e -> new EventJson(Long.toString(e.position()), e.type().wireName(),
                e.mailboxId().orElse(null), e.ticket().orElse(null), e.followup().orElse(null), e.detail().orElse(null),
                e.occurredAt())).toList();
        String next = events.isEmpty() ? after : Long.toString(events.get(events.size() - 1).position());
        ctx.json(new EventPageJson(json, next));
    }

    private Optional<Long> ticketNumber(Context ctx) {
        Optional<Long> number = TicketRoutes.number(ctx.pathParam("number"));
        if (number.isEmpty()) {
            noTicket(ctx);
        }
        return number;
    }

    private static void noTicket(Context ctx) {
        ctx.status(404).json(new ErrorJson("There is no ticket #" + ctx.pathParam("number") + "."));
    }

    private Optional<String> mailboxId(Context ctx) {
        String id = ctx.pathParam("id");
        if (ui.config().get().mailbox(id).isEmpty()) {
            ctx.status(404).json(new ErrorJson("There is no mailbox '" + id + "' in collector.yaml."));
            return Optional.empty();
        }
        return Optional.of(id);
    }

    private static <T> Optional<T> body(Context ctx, Class<T> type, String example) {
        try {
            return Optional.of(ctx.bodyAsClass(type));
        } catch (Exception e) { // Jackson's parse errors arrive undeclared, through Javalin's Kotlin
            bad(ctx, "the body is not the JSON this call takes; send Content-Type: application/json and e.g. " + example);
            return Optional.empty();
        }
    }

    private static List<AttachmentJson> attachments(List<Ticket.AttachmentInfo> infos) {
        return infos.stream().map(a -> new AttachmentJson(a.id(), a.fileName(), a.contentType(), a.size(), a.sha256(),
                a.inline(), "/api/attachments/" + a.id())).toList();
    }

    /** A date means its start, in UTC. */
    private static Instant instant(String s) {
        String v = s.strip();
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return java.time.OffsetDateTime.parse(v).toInstant();
    }

    static Optional<Integer> positive(Context ctx, String name, int fallback, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return Optional.of(fallback);
        }
        if (!v.strip().matches("\\d{1,9}") || Integer.parseInt(v.strip()) < 1 || Integer.parseInt(v.strip()) > max) {
            bad(ctx, name + ": '" + v + "' is not a whole number from 1 to " + max);
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(v.strip()));
    }

    static void bad(Context ctx, String message) {
        ctx.status(400).json(new ErrorJson(message));
    }
}
