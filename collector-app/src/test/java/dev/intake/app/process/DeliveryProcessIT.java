package dev.intake.app.process;

import static dev.intake.app.process.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.testing.Browser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.testing.FakeGlpiHl;
import dev.intake.testing.FakeGlpiLegacy;
import dev.intake.testing.FakeWebhookReceiver;
import dev.intake.testing.Mails;
import dev.intake.testing.PostgresDatabase;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue 15's scenario with real nodes: 500 tickets, 100 followups and 100 attachments collected from GreenMail and
 * delivered to a fake GLPI 11 (its high-level API over HTTPS, OAuth password grant), while GLPI is down for the first
 * half of the run, its tokens expire every few seconds, some answers arrive after the timeout, and a node is killed
 * with {@code kill -9} in the middle of delivering. Afterwards GLPI must hold every ticket, followup and document exactly
 * once, each followup and document on the GLPI ticket of its own Intake ticket. The same mail goes to a GLPI 10
 * (legacy REST API, tokens) and to a webhook, down as long and sent to by the same killed nodes: the old GLPI must
 * hold everything exactly once too, and the webhook must have received every event, a resend only ever with the
 * webhook-id it was first sent with.
 */
class DeliveryProcessIT {

    static final int REQUESTS_PER_MAILBOX = 250;
    static final int REPLIES_PER_MAILBOX = 50;
    static final int ATTACHMENT_EVERY = 5;
    static final List<String> MAILBOXES = List.of("helpdesk", "facilities");
    static final String CLIENT_ID = "intake-glpi-client";
    static final String CLIENT_SECRET = "glpi-client-secret-process";
    static final String GLPI_PASSWORD = "glpi-bot-password-process";
    static final String LEGACY_APP_TOKEN = "legacy-app-token-process";
    static final String LEGACY_USER_TOKEN = "legacy-user-token-process";
    static final String WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "a-32-byte-signing-key-for-tests!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    static final Pattern INTAKE_TICKET = Pattern.compile("Collected by Intake, ticket #(\\d+) ");

    PostgresDatabase database;
    ProcessFixture bed;
    FakeGlpiHl glpi;
    FakeGlpiLegacy legacy;
    FakeWebhookReceiver hook;

    @AfterEach
    void stop() {
        try {
            if (bed != null) {
                bed.close();
            }
            if (glpi != null) {
                glpi.close();
            }
            if (legacy != null) {
                legacy.close();
            }
            if (hook != null) {
                hook.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void onH2_aNodeKilledMidDeliveryLosesAndDuplicatesNothingInGlpi(TestInfo test) {
        bed = ProcessFixture.onH2(test.getTestMethod().orElseThrow().getName());
        configure();
        NodeProcess node = bed.start("single");
        MAILBOXES.forEach(id -> authorize(node, id));

        glpiDownWhileEverythingIsCollected(node);

        glpi.unavailable(false);
        legacy.up();
        hook.up();
        await("GLPI to receive a third of the tickets", () -> glpi.tickets().size() >= total() / 3);
        node.sigkill();
        node.awaitDeath();
        NodeProcess again = bed.start("single");

        assertEverythingArrivesExactlyOnce(again);
    }

    @Test
    void onPostgres_threeNodesOneKilledMidDeliveryLoseAndDuplicateNothingInGlpi(TestInfo test) {
        database = PostgresDatabase.create();
        bed = ProcessFixture.onPostgres(test.getTestMethod().orElseThrow().getName(), database.url(), database.user());
        configure();
        NodeProcess a = bed.start("a");
        NodeProcess b = bed.start("b");
        NodeProcess c = bed.start("c");
        MAILBOXES.forEach(id -> authorize(a, id));

        glpiDownWhileEverythingIsCollected(b);

        glpi.unavailable(false);
        legacy.up();
        hook.up();
        await("GLPI to receive a third of the tickets", () -> glpi.tickets().size() >= total() / 3);
        // The node delivering is whichever holds the target's job now: kill them one after the other until GLPI sees
        // no more requests from the dead one; a survivor must take over and finish.
        a.sigkill();
        a.awaitDeath();
        await("GLPI to receive two thirds of the tickets", () -> glpi.tickets().size() >= 2 * total() / 3);
        b.sigkill();
        b.awaitDeath();

        assertEverythingArrivesExactlyOnce(c);
    }

    private void configure() {
        glpi = FakeGlpiHl.start(Clock.systemUTC()).oauthClient(CLIENT_ID, CLIENT_SECRET)
                // tokens that expire while the backlog drains: renewed without a lost or doubled item
                .tokenLifetime(Duration.ofSeconds(8));
        glpi.user("intake-bot", GLPI_PASSWORD);
        glpi.user("known.requester", "irrelevant", "c1@customer.example", "c2@customer.example");
        // answers that arrive after Intake gave up waiting: the next attempt must find what they created
        glpi.answerLateAfterCommit(3, Duration.ofSeconds(6));
        glpi.unavailable(true);
        legacy = FakeGlpiLegacy.start().requireAppToken(LEGACY_APP_TOKEN);
        legacy.addUser("intake-bot");
        legacy.userToken("intake-bot", LEGACY_USER_TOKEN);
        legacy.down();
        hook = FakeWebhookReceiver.start(WEBHOOK_SECRET);
        hook.down();
        bed.entra().rotateRefreshTokens(false); // see StopAndCrashProcessIT
        bed.operations("scheduler-threads: 2", "shutdown-grace: 10s");
        bed.delivery(
                "first-retry: 1s",
                "max-retry: 3s",
                "max-attempts: 1000",
                "backlog-warning: 5s",
                "targets:",
                "  - name: helpdesk-glpi",
                "    type: glpi",
                "    url: " + glpi.url(),
                "    client-id: " + CLIENT_ID,
                "    client-secret: ${file:" + bed.secretFile("glpi-client-secret", CLIENT_SECRET) + "}",
                "    username: intake-bot",
                "    password: ${file:" + bed.secretFile("glpi-password", GLPI_PASSWORD) + "}",
                "    timeout: 3s",
                "  - name: old-glpi",
                "    type: glpi-legacy",
                "    url: " + legacy.url(),
                "    app-token: ${file:" + bed.secretFile("legacy-app-token", LEGACY_APP_TOKEN) + "}",
                "    user-token: ${file:" + bed.secretFile("legacy-user-token", LEGACY_USER_TOKEN) + "}",
                "    timeout: 3s",
                "  - name: chat",
                "    type: webhook",
                "    url: " + hook.url(),
                "    secret: ${file:" + bed.secretFile("webhook-secret", WEBHOOK_SECRET) + "}",
                "    events: [ticket.created, followup.added]",
                "    timeout: 3s");
        Random random = new Random(15);
        for (String id : MAILBOXES) {
            bed.mailbox(id, "entra", address(id), "accepted-folder: Intake/Accepted", "initial-sync: all",
                    "poll-every: 2s", "max-per-run: 1000", "deliver-to: [helpdesk-glpi, old-glpi, chat]");
            List<String> requests = new ArrayList<>();
            for (int n = 1; n <= REQUESTS_PER_MAILBOX; n++) {
                String messageId = "<" + id + "-" + n + "@customer.example>";
                String from = "Customer " + n + " <c" + n + "@customer.example>";
                String raw;
                if (n % ATTACHMENT_EVERY == 0) {
                    byte[] file = new byte[20_000 + random.nextInt(30_000)];
                    random.nextBytes(file);
                    raw = Mails.withAttachment(from, address(id), id + " request " + n, messageId, "Please see the file.",
                            "scan-" + n + ".pdf", file);
                } else {
                    raw = Mails.plain(from, address(id), id + " request " + n, messageId, "The printer jams, case " + n);
                }
                bed.deliver(address(id), raw);
                requests.add(messageId);
            }
            for (int r = 1; r <= REPLIES_PER_MAILBOX; r++) {
                String original = requests.get(random.nextInt(requests.size()));
                String messageId = "<" + id + "-reply-" + r + "@customer.example>";
                bed.deliver(address(id), Mails.plain("Customer <c0@customer.example>", address(id), "Re: request", messageId,
                        "More details, reply " + r, "In-Reply-To: " + original, "References: " + original));
            }
        }
    }

    /** GLPI is down while the nodes collect everything: the backlog grows, nothing is lost, readiness warns. */
    private void glpiDownWhileEverythingIsCollected(NodeProcess node) {
        int messages = MAILBOXES.size() * (REQUESTS_PER_MAILBOX + REPLIES_PER_MAILBOX);
        await("every message to be collected", () -> MAILBOXES.stream()
                .mapToInt(id -> bed.count(address(id), ProcessFixture.ACCEPTED)).sum() == messages);
        assertThat(glpi.tickets()).as("nothing reaches a GLPI that is down").isEmpty();
        assertThat(legacy.tickets()).as("nor the old GLPI").isEmpty();
        assertThat(hook.accepted()).as("nor the webhook").isEmpty();
        await("/health/ready to warn about the delivery backlog", () -> readiness(node).contains("helpdesk-glpi"));
    }

    private void assertEverythingArrivesExactlyOnce(NodeProcess survivor) {
        await("GLPI to hold every ticket, followup and document", () -> glpi.tickets().size() >= total()
                && followups() >= MAILBOXES.size() * REPLIES_PER_MAILBOX && glpi.documents().size() >= attachments());
        // Anything sent twice would arrive within a few retries: give it the time, then count.
        NodeProcess.pause(Duration.ofSeconds(8));

        Map<Long, Long> glpiTicketOfIntakeTicket = new HashMap<>();
        for (FakeGlpiHl.StoredTicket t : glpi.tickets()) {
            long intake = intakeTicket(t.text("content"));
            Long before = glpiTicketOfIntakeTicket.put(intake, t.id());
            assertThat(before).as("Intake ticket #%d created twice in GLPI (%s and %s)", intake, before, t.id()).isNull();
        }
        assertThat(glpiTicketOfIntakeTicket).as("Intake tickets in GLPI").hasSize(total());
        int followups = 0;
        for (Map.Entry<Long, Long> e : glpiTicketOfIntakeTicket.entrySet()) {
            for (FakeGlpiHl.StoredFollowup f : glpi.followups(e.getValue())) {
                assertThat(intakeTicket(f.text("content"))).as("followup %d is on the GLPI ticket of its Intake ticket", f.id())
                        .isEqualTo(e.getKey());
                followups++;
            }
        }
        assertThat(followups).as("followups in GLPI").isEqualTo(MAILBOXES.size() * REPLIES_PER_MAILBOX);
        assertThat(glpi.documents()).as("documents in GLPI").hasSize(attachments());
        int links = glpiTicketOfIntakeTicket.values().stream().mapToInt(id -> glpi.documentLinks(id).size()).sum();
        assertThat(links).as("documents linked to tickets").isEqualTo(attachments());
        assertThat(glpi.tokenRequests("password") + glpi.tokenRequests("refresh_token"))
                .as("tokens renewed as they expired").isGreaterThan(1);
        long lookups = glpi.requests().stream().filter(r -> r.method().equals("GET") && r.query() != null
                && r.query().contains("intake-delivery")).count();
        System.out.println("DeliveryProcessIT: " + glpi.requests().size() + " requests to GLPI, " + lookups
                + " lookups of an item an earlier attempt may have created, token requests: password "
                + glpi.tokenRequests("password") + ", refresh " + glpi.tokenRequests("refresh_token"));
        assertThat(lookups).as("lookups after answers that came too late or a node killed while sending").isPositive();
        await("/health/ready to stop warning once the backlog is delivered",
                () -> !readiness(survivor).contains("helpdesk-glpi"));
        assertTheOldGlpiHoldsEverythingExactlyOnce();
        assertTheWebhookReceivedEveryEvent();
    }

    private void assertTheOldGlpiHoldsEverythingExactlyOnce() {
        int replies = MAILBOXES.size() * REPLIES_PER_MAILBOX;
        await("the old GLPI to hold every ticket, followup and document", () -> legacy.tickets().size() >= total()
                && legacy.followups().size() >= replies && legacy.documents().size() >= attachments());
        Map<Long, Long> legacyTicketOfIntakeTicket = new HashMap<>();
        for (ObjectNode t : legacy.tickets()) {
            long intake = intakeTicket(t.path("content").asText());
            Long before = legacyTicketOfIntakeTicket.put(intake, t.path("id").asLong());
            assertThat(before).as("Intake ticket #%d created twice in the old GLPI", intake).isNull();
        }
        assertThat(legacyTicketOfIntakeTicket).as("Intake tickets in the old GLPI").hasSize(total());
        for (ObjectNode f : legacy.followups()) {
            assertThat(f.path("items_id").asLong()).as("followup %s on the old GLPI ticket of its Intake ticket",
                    f.path("id").asText()).isEqualTo(legacyTicketOfIntakeTicket.get(intakeTicket(f.path("content").asText())));
        }
        assertThat(legacy.followups()).as("followups in the old GLPI").hasSize(replies);
        assertThat(legacy.documents()).as("documents in the old GLPI").hasSize(attachments());
    }

    private void assertTheWebhookReceivedEveryEvent() {
        int replies = MAILBOXES.size() * REPLIES_PER_MAILBOX;
        await("the webhook to receive every event", () -> hook.accepted().size() >= total() + replies);
        assertThat(hook.refused()).as("every signature verified").isEmpty();
        List<JsonNode> events = hook.accepted().stream().map(FakeWebhookReceiver.Delivery::json).toList();
        Set<Long> created = events.stream().filter(e -> e.get("type").asText().equals("ticket.created"))
                .map(e -> e.at("/data/ticket/number").asLong()).collect(Collectors.toSet());
        assertThat(created).as("one ticket.created per Intake ticket").hasSize(total());
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("followup.added")).hasSize(replies);
        // The receiver drops a resend under an id it has seen; one sent under a new id would be accepted twice.
        assertThat(events).as("each event accepted once: no resend under a new webhook-id").hasSize(total() + replies);
        System.out.println("DeliveryProcessIT: old GLPI " + legacy.requests().size() + " requests; webhook "
                + hook.arrivals().size() + " arrivals, " + hook.duplicates().size() + " resends");
    }

    private static long intakeTicket(String content) {
        Matcher m = INTAKE_TICKET.matcher(content);
        assertThat(m.find()).as("the reference line in %s", content).isTrue();
        return Long.parseLong(m.group(1));
    }

    private int followups() {
        return glpi.tickets().stream().mapToInt(t -> glpi.followups(t.id()).size()).sum();
    }

    private static int total() {
        return MAILBOXES.size() * REQUESTS_PER_MAILBOX;
    }

    private static int attachments() {
        return MAILBOXES.size() * (REQUESTS_PER_MAILBOX / ATTACHMENT_EVERY);
    }

    private static String readiness(NodeProcess node) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.url("/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (Exception e) {
            return "";
        }
    }

    private void authorize(NodeProcess node, String mailbox) {
        bed.signingInAs("entra", address(mailbox));
        Browser.Page page = CrossNodeSignIn.authorize(mailbox, node, node);
        assertThat(page.body()).contains("Mailbox authorized");
    }

    private static String address(String mailboxId) {
        return mailboxId + "@contoso.com";
    }
}
