package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.Mails;
import dev.intake.app.ledger.Outcome;
import dev.intake.app.ticket.TicketQuery;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ticket pages, the mail body frames, attachment downloads and the JSON API over HTTP, on tickets that Intake
 * collected from GreenMail: three tickets (one with an attachment, one HTML with an inline and a remote image), a
 * followup and a refusal.
 */
class TicketsAndApiTest {

    static final String ADDRESS = "support@contoso.com";
    static final String TOKEN = "imap-access-token-api";
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
    static final byte[] PDF = "%PDF-1.4 api test".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    IntakeFixture fx;
    WebClient admin;
    final ObjectMapper json = new ObjectMapper();
    long printer;
    long invoice;
    long newsletter;

    @BeforeEach
    void collect() throws Exception {
        fx = new IntakeFixture(dir).mailbox("support", "entra", ADDRESS, "paused: true", "initial-sync: all")
                .mailbox("other", "google", "other@example.com");
        fx.entra().fixedAccessToken(TOKEN);
        GreenMailUser user = fx.imapUser(ADDRESS, TOKEN);
        fx.start();
        assertThat(fx.authorize("support", ADDRESS).status()).isEqualTo(200);
        fx.append(user, "INBOX", Mails.plain("Ann <ann@customer.example>", ADDRESS, "Printer broken", "<p1@customer.example>",
                "It jams."), Instant.now());
        fx.append(user, "INBOX", Mails.withAttachment("carol@customer.example", ADDRESS, "Invoice \"March\"",
                "<i1@customer.example>", "See attached", "../invoice \"march\".pdf", PDF), Instant.now());
        fx.append(user, "INBOX", related("news@customer.example", "Look at our logo", "<n1@customer.example>"), Instant.now());
        fx.append(user, "INBOX", Mails.plain("bulk@shop.example", ADDRESS, "Deals", "<d1@shop.example>", "Buy", "Precedence: bulk"),
                Instant.now());
        poll();
        printer = number("Printer broken");
        fx.append(user, "INBOX", Mails.plain("ann@customer.example", ADDRESS, "RE: Printer broken [#" + printer + "]",
                "<p2@customer.example>", "Still jams"), Instant.now());
        poll();
        invoice = number("Invoice \"March\"");
        newsletter = number("Look at our logo");
        admin = new WebClient(fx).signIn();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void apiMailboxesListsEveryConfiguredMailboxWithItsHealthAndCounts() throws Exception {
        HttpResponse<String> r = admin.get("/api/mailboxes");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode mailboxes = json.readTree(r.body()).get("mailboxes");
        assertThat(mailboxes).hasSize(2);
        JsonNode support = mailboxes.get(0);
        assertThat(support.get("id").asText()).isEqualTo("support");
        assertThat(support.get("provider").asText()).isEqualTo("entra");
        assertThat(support.get("state").asText()).isEqualTo("paused");
        assertThat(support.get("account").asText()).isEqualTo(ADDRESS);
        assertThat(Instant.parse(support.get("authorizedAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(support.get("tickets").asInt()).isEqualTo(3);
        assertThat(support.get("refused").asInt()).isEqualTo(1);
        assertThat(support.get("lastError").isNull()).isTrue();
        JsonNode other = mailboxes.get(1);
        assertThat(other.get("state").asText()).isEqualTo("not authorized");
        assertThat(other.get("account").isNull()).isTrue();
    }

    @Test
    void apiTicketsFiltersByMailboxSinceAndTextAndPages() throws Exception {
        JsonNode first = json.readTree(admin.get("/api/tickets?mailbox=support&pageSize=2").body());
        assertThat(first.get("total").asLong()).isEqualTo(3);
        assertThat(first.get("page").asInt()).isEqualTo(1);
        assertThat(first.get("tickets")).hasSize(2);
        assertThat(first.get("tickets").get(0).get("number").asLong()).isEqualTo(newsletter);
        JsonNode second = json.readTree(admin.get("/api/tickets?mailbox=support&pageSize=2&page=2").body());
        assertThat(second.get("tickets")).hasSize(1);
        assertThat(second.get("tickets").get(0).get("number").asLong()).isEqualTo(printer);
        JsonNode line = second.get("tickets").get(0);
        assertThat(line.get("requester").get("address").asText()).isEqualTo("ann@customer.example");
        assertThat(line.get("requester").get("name").asText()).isEqualTo("Ann");
        assertThat(line.get("followups").asInt()).isEqualTo(1);
        assertThat(line.get("url").asText()).isEqualTo("/api/tickets/" + printer);

        assertThat(json.readTree(admin.get("/api/tickets?mailbox=other").body()).get("total").asLong()).isZero();
        assertThat(json.readTree(admin.get("/api/tickets?q=INVOICE").body()).get("tickets")).singleElement()
                .satisfies(t -> assertThat(t.get("number").asLong()).isEqualTo(invoice));
        assertThat(json.readTree(admin.get("/api/tickets?since=2000-01-01").body()).get("total").asLong()).isEqualTo(3);
        assertThat(json.readTree(admin.get("/api/tickets?since=2999-01-01T00:00:00Z").body()).get("total").asLong()).isZero();

        HttpResponse<String> badSince = admin.get("/api/tickets?since=yesterday");
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badSince.body()).get("error").asText()).contains("since").contains("2026-11-23");
        HttpResponse<String> badSize = admin.get("/api/tickets?pageSize=5000");
        assertThat(badSize.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badSize.body()).get("error").asText()).contains("pageSize").contains("1 to 200");
    }

    @Test
    void apiTicketHasItsFollowupsInOrderAndItsAttachmentsToDownload() throws Exception {
        JsonNode ticket = json.readTree(admin.get("/api/tickets/" + printer).body());
        assertThat(ticket.get("subject").asText()).isEqualTo("Printer broken");
        assertThat(ticket.get("bodyText").asText()).contains("It jams.");
        assertThat(ticket.get("messageId").asText()).isEqualTo("<p1@customer.example>");
        assertThat(ticket.get("followups")).singleElement()
                .satisfies(f -> assertThat(f.get("bodyText").asText()).contains("Still jams"));

        JsonNode withFile = json.readTree(admin.get("/api/tickets/" + invoice).body());
        JsonNode attachment = withFile.get("attachments").get(0);
        assertThat(attachment.get("contentType").asText()).isEqualTo("application/pdf");
        assertThat(attachment.get("size").asLong()).isEqualTo(PDF.length);
        HttpResponse<byte[]> download = admin.getBytes(attachment.get("downloadUrl").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(PDF);
        assertThat(download.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/octet-stream");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(download.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("sandbox");
        String disposition = download.headers().firstValue("Content-Disposition").orElseThrow();
        assertThat(disposition).startsWith("attachment; filename=\"").contains("filename*=UTF-8''")
                .doesNotContain("/").doesNotContain("..");
        assertThat(disposition.substring(0, disposition.indexOf(';', 12))).doesNotContain("\"march\"");

        HttpResponse<String> missing = admin.get("/api/tickets/999999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json.readTree(missing.body()).get("error").asText()).contains("#999999");
    }

    @Test
    void theMailBodyFrameIsSandboxedEmbedsInlineImagesAndLoadsRemoteOnesOnlyWhenAsked() {
        HttpResponse<String> page = admin.get("/tickets/" + newsletter);
        assertThat(page.statusCode()).isEqualTo(200);
        String pageCsp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(pageCsp).contains("script-src 'self'").contains("frame-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        Document doc = Jsoup.parse(page.body());
        assertThat(doc.select("iframe.mail-body").attr("src")).isEqualTo("/tickets/" + newsletter + "/body");
        assertThat(doc.select("iframe.mail-body").attr("sandbox")).doesNotContain("allow-scripts").doesNotContain("allow-same-origin");
        assertThat(doc.select(".remote-images").text()).contains("1 remote image was not loaded");

        HttpResponse<String> frame = admin.get("/tickets/" + newsletter + "/body");
        assertThat(frame.statusCode()).isEqualTo(200);
        String csp = frame.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).startsWith("sandbox").contains("default-src 'none'").contains("img-src data:;")
                .doesNotContain("script-src").doesNotContain("https:");
        assertThat(frame.headers().firstValue("X-Frame-Options")).contains("SAMEORIGIN");
        Document body = Jsoup.parse(frame.body());
        assertThat(body.select("img[alt=logo]").attr("src")).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
        assertThat(body.select("img[alt=remote]").attr("src")).isEmpty();
        assertThat(body.select("img[alt=remote]").attr("data-remote-src")).isEqualTo("https://images.customer.example/banner.png");

        HttpResponse<String> remote = admin.get("/tickets/" + newsletter + "/body?remote=1");
        assertThat(remote.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("img-src data: https: http:");
        assertThat(Jsoup.parse(remote.body()).select("img[alt=remote]").attr("src")).isEqualTo("https://images.customer.example/banner.png");

        // Plain text, for mail that reads better without its formatting.
        Document text = Jsoup.parse(admin.get("/tickets/" + newsletter + "?view=text").body());
        assertThat(text.select("iframe")).isEmpty();
        assertThat(text.select("pre.mail-text").text()).contains("Our new logo");
        assertThat(admin.get("/tickets/" + printer + "/body").statusCode()).as("a plain-text mail has no frame").isEqualTo(404);
    }

    @Test
    void theTicketListSearchesSubjectsAndRequestersWithinAMailbox() {
        Document all = Jsoup.parse(admin.get("/tickets").body());
        assertThat(all.select("table.tickets tbody tr")).hasSize(3);
        assertThat(all.select(".sub").first().text()).isEqualTo("1–3 of 3");

        Document byRequester = Jsoup.parse(admin.get("/tickets?q=carol").body());
        assertThat(byRequester.select("td.subject").eachText()).containsExactly("Invoice \"March\"");
        Document none = Jsoup.parse(admin.get("/tickets?mailbox=other&q=carol").body());
        assertThat(none.select("table.tickets")).isEmpty();
        assertThat(none.text()).contains("No ticket matches");
        assertThat(admin.get("/tickets?page=abc").statusCode()).isEqualTo(200);

        Document ticket = Jsoup.parse(admin.get("/tickets/" + printer).body());
        assertThat(ticket.select("article.followup")).hasSize(1);
        assertThat(ticket.select("article.followup pre.mail-text").text()).contains("Still jams");
        assertThat(admin.get("/tickets/999999").statusCode()).isEqualTo(404);
        assertThat(admin.get("/tickets/not-a-number").statusCode()).isEqualTo(404);
        assertThat(admin.get("/attachments/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void buttonsThatCannotDoTheirWorkSayWhyAndChangeNothing() {
        String token = admin.csrf();

        HttpResponse<String> poll = admin.post("/mailboxes/support/poll", Map.of("_csrf", token));
        assertThat(poll.statusCode()).isEqualTo(409);
        assertThat(Jsoup.parse(poll.body()).select(".notice.bad").text()).contains("Poll now did not start")
                .contains("not being collected");

        long ticketRecord = fx.intake().ledger().processed("support", Optional.of(Outcome.TICKET), 1).get(0).id();
        HttpResponse<String> notRefused = admin.post("/mailboxes/support/refused/" + ticketRecord + "/import",
                Map.of("_csrf", token));
        assertThat(notRefused.statusCode()).isEqualTo(409);
        assertThat(Jsoup.parse(notRefused.body()).select(".notice.bad").text()).contains("is not a refusal");
        assertThat(fx.intake().tickets().count(TicketQuery.firstPage(1))).isEqualTo(3);

        long refused = fx.intake().ledger().processed("support", Optional.of(Outcome.REFUSED), 1).get(0).id();
        HttpResponse<String> imported = admin.post("/mailboxes/support/refused/" + refused + "/import", Map.of("_csrf", token));
        assertThat(imported.statusCode()).isEqualTo(303);
        assertThat(WebClient.location(imported).getPath()).startsWith("/tickets/");
        assertThat(fx.intake().tickets().count(TicketQuery.firstPage(1))).isEqualTo(4);

        assertThat(admin.post("/mailboxes/nowhere/pause", Map.of("_csrf", token)).statusCode()).isEqualTo(404);
        assertThat(admin.get("/mailboxes/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void anApiClientSetsStatusAddsANoteAndMarksATicketExportedAndEachWriteIsLoggedWithItsName() throws Exception {
        dev.intake.app.apiclient.ApiClients.ClientWithSecret client = fx.intake().apiClients().create(
                new dev.intake.app.apiclient.ClientSpec("GLPI", "", java.util.EnumSet.of(
                        dev.intake.app.apiclient.GrantType.CLIENT_CREDENTIALS), java.util.Set.of(
                        dev.intake.app.apiclient.Scope.TICKETS_READ, dev.intake.app.apiclient.Scope.TICKETS_WRITE),
                        dev.intake.app.apiclient.IpRanges.ANYWHERE, true));
        String bearer = "Bearer " + token(client);
        try (dev.intake.testing.CapturedLogs logs = dev.intake.testing.CapturedLogs.capture()) {
            assertThat(writeJson("/api/tickets/" + printer + "/status", "{\"status\": \"closed\"}", bearer).statusCode())
                    .isEqualTo(200);
            assertThat(writeJson("/api/tickets/" + printer + "/notes", "{\"body\": \"Toner replaced.\"}", bearer)
                    .statusCode()).isEqualTo(201);
            assertThat(writeJson("/api/tickets/" + printer + "/export", "{\"externalId\": \"GLPI-4711\", \"url\": "
                    + "\"https://glpi.example.com/front/ticket.form.php?id=4711\"}", bearer).statusCode()).isEqualTo(200);
            assertThat(logs.text()).contains("API client 'GLPI' (" + client.client().clientId() + ") set ticket #" + printer
                    + " to closed").contains("added internal note").contains("marked ticket #" + printer + " exported as GLPI-4711");
        }
        JsonNode ticket = json.readTree(admin.get("/api/tickets/" + printer, "Authorization", bearer).body());
        assertThat(ticket.get("status").asText()).isEqualTo("closed");
        assertThat(ticket.get("internalNotes").get(0).get("body").asText()).isEqualTo("Toner replaced.");
        assertThat(ticket.get("internalNotes").get(0).get("author").asText()).contains("GLPI");
        assertThat(ticket.get("export").get("externalId").asText()).isEqualTo("GLPI-4711");
        assertThat(ticket.get("export").get("url").asText()).endsWith("id=4711");
        String download = json.readTree(admin.get("/api/tickets/" + invoice, "Authorization", bearer).body())
                .get("attachments").get(0).get("downloadUrl").asText();
        HttpResponse<String> file = new WebClient(fx).get(download, "Authorization", bearer);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(new String(PDF, StandardCharsets.US_ASCII));

        HttpResponse<String> badStatus = writeJson("/api/tickets/" + printer + "/status", "{\"status\": \"done\"}", bearer);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.body()).contains("new, open or closed");
        assertThat(writeJson("/api/tickets/99999/status", "{\"status\": \"open\"}", bearer).statusCode()).isEqualTo(404);
        assertThat(writeJson("/api/tickets/" + printer + "/status", "not json", bearer).statusCode()).isEqualTo(400);
        // The admin's session writes too, and needs its CSRF token as every other write does.
        assertThat(writeJson("/api/tickets/" + invoice + "/status", "{\"status\": \"open\"}").statusCode()).isEqualTo(403);
        assertThat(writeJson("/api/tickets/" + invoice + "/status", "{\"status\": \"open\"}", "X-CSRF-Token",
                admin.csrf()).statusCode()).isEqualTo(200);
    }

    @Test
    void eventsAreReadInCommitOrderFromACursorThatSurvivesARestartExactlyOnce() throws Exception {
        dev.intake.app.apiclient.ApiClients.ClientWithSecret client = fx.intake().apiClients().create(
                new dev.intake.app.apiclient.ClientSpec("Outbox reader", "", java.util.EnumSet.of(
                        dev.intake.app.apiclient.GrantType.CLIENT_CREDENTIALS), java.util.Set.of(
                        dev.intake.app.apiclient.Scope.TICKETS_READ), dev.intake.app.apiclient.IpRanges.ANYWHERE, true));
        String bearer = "Bearer " + token(client);
        JsonNode all = json.readTree(admin.get("/api/events?limit=1000", "Authorization", bearer).body()).get("events");
        java.util.List<String> kinds = new java.util.ArrayList<>();
        all.forEach(e -> kinds.add(e.get("type").asText() + ":" + (e.get("ticket").isNull() ? e.get("detail").asText()
                : e.get("ticket").asText())));
        assertThat(kinds).containsExactly("mailbox.state-changed:active", "ticket.created:" + printer,
                "ticket.created:" + invoice, "ticket.created:" + newsletter, "message.refused:BULK",
                "followup.added:" + printer);

        JsonNode firstPage = json.readTree(admin.get("/api/events?limit=2", "Authorization", bearer).body());
        assertThat(firstPage.get("events")).hasSize(2);
        String cursor = firstPage.get("next").asText();

        fx.stop();
        fx.start();
        JsonNode rest = json.readTree(admin.get("/api/events?after=" + cursor + "&limit=1000", "Authorization", bearer)
                .body());
        java.util.List<String> cursors = new java.util.ArrayList<>();
        firstPage.get("events").forEach(e -> cursors.add(e.get("cursor").asText()));
        rest.get("events").forEach(e -> cursors.add(e.get("cursor").asText()));
        java.util.List<String> expected = new java.util.ArrayList<>();
        all.forEach(e -> expected.add(e.get("cursor").asText()));
        assertThat(cursors).as("every event once, in order, across the restart").containsExactlyElementsOf(expected);

        JsonNode after = json.readTree(admin.get("/api/events?after=" + rest.get("next").asText(), "Authorization", bearer)
                .body());
        assertThat(after.get("events")).isEmpty();
        assertThat(after.get("next").asText()).isEqualTo(rest.get("next").asText());
        assertThat(admin.get("/api/events?after=yesterday", "Authorization", bearer).statusCode()).isEqualTo(400);
    }

    private String token(dev.intake.app.apiclient.ApiClients.ClientWithSecret c) throws Exception {
        HttpResponse<String> r = admin.send(java.net.http.HttpRequest.newBuilder(fx.url("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + c.client().clientId() + "&client_secret=" + c.secret().reveal())));
        return json.readTree(r.body()).get("access_token").asText();
    }

    private HttpResponse<String> writeJson(String path, String body, String... headers) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("Content-Type", "application/json"));
        if (headers.length == 1) {
            all.addAll(java.util.List.of("Authorization", headers[0]));
        } else {
            all.addAll(java.util.List.of(headers));
        }
        return admin.send(java.net.http.HttpRequest.newBuilder(fx.url(path))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)), all.toArray(String[]::new));
    }

    private void poll() throws Exception {
        fx.intake().collection().poll(fx.intake().currentConfig().mailbox("support").orElseThrow(), () -> false);
    }

    private long number(String subject) {
        return fx.intake().tickets().list(TicketQuery.firstPage(100)).stream().filter(t -> t.subject().equals(subject))
                .findFirst().orElseThrow().number();
    }

    /** An HTML mail with an inline image (multipart/related, cid:) and a remote one. */
    private static String related(String from, String subject, String messageId) {
        return "From: " + from + "\r\nTo: " + ADDRESS + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId
                + "\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/related; boundary=\"r1\"\r\n\r\n"
                + "--r1\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
                + "<p>Our new logo:</p><img src=\"cid:logo@customer.example\" alt=\"logo\">"
                + "<img src=\"https://images.customer.example/banner.png\" alt=\"remote\">\r\n"
                + "--r1\r\nContent-Type: image/png\r\nContent-ID: <logo@customer.example>\r\n"
                + "Content-Disposition: inline; filename=\"logo.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(PNG) + "\r\n--r1--\r\n";
    }
}
