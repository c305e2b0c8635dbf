package dev.intake.app.web;

import dev.intake.app.status.MailboxStatus;
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

/**
 * The JSON API, read-only for now and behind the same session as the pages (API clients with their own credentials
 * come later). Shapes are plain records, documented in the README; times are ISO-8601 UTC, absent values are null.
 */
final class ApiRoutes {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;

    private final AdminUi ui;

    ApiRoutes(AdminUi ui) {
        this.ui = ui;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/mailboxes", this::mailboxes);
        routes.get("/api/config", this::configStatus);
        routes.get("/api/tickets", this::tickets);
        routes.get("/api/tickets/{number}", this::ticket);
    }

    record MailboxJson(String id, String provider, String address, String delegate, String state, String account,
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
            List<FollowupJson> followups, List<AttachmentJson> attachments) {
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
        return new MailboxJson(s.id(), s.provider(), s.address(), s.delegate().orElse(null), s.display(),
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
                attachments(t.attachments())));
    }

    private static List<AttachmentJson> attachments(List<Ticket.AttachmentInfo> infos) {
        return infos.stream().map(a -> new AttachmentJson(a.id(), a.fileName(), a.contentType(), a.size(), a.sha256(),
                a.inline(), "/attachments/" + a.id())).toList();
    }

    /** A date means its start, in UTC. */
    private static Instant instant(String s) {
        String v = s.strip();
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return java.time.OffsetDateTime.parse(v).toInstant();
    }

    private static Optional<Integer> positive(Context ctx, String name, int fallback, int max) {
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

    private static void bad(Context ctx, String message) {
        ctx.status(400).json(new ErrorJson(message));
    }
}
