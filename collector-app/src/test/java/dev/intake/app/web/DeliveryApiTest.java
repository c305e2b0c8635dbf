package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.app.Intake;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryTargets;
import dev.intake.app.delivery.ItemKind;
import dev.intake.app.delivery.OutboxStore;
import dev.intake.app.delivery.OutboxWriter;
import dev.intake.app.delivery.RecordingTarget;
import dev.intake.app.events.EventStore;
import dev.intake.app.events.EventType;
import dev.intake.app.process.Eventually;
import dev.intake.app.support.IntakeFixture;
import dev.intake.app.support.TestDelivery;
import dev.intake.app.support.database.TestTickets;
import dev.intake.app.ticket.TicketStore;
import dev.intake.config.DeliveryConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery through a running node, with the SPI's fake as its target: a ticket the target refuses becomes a dead
 * letter the API lists with its reason (and the ticket JSON shows), Retry sends it, and the metrics count it.
 */
class DeliveryApiTest {

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final AtomicReference<RecordingTarget> glpi = new AtomicReference<>();
    IntakeFixture fx;

    static final DeliveryConfig DELIVERY = TestDelivery.delivery(Duration.ofHours(1), TestDelivery.helpdesk("glpi"));

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    /** Starts a node delivering to "glpi"; its target refuses the first ticket. */
    static IntakeFixture node(Path dir, AtomicReference<RecordingTarget> glpi) {
        IntakeFixture fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com")
                .delivery(new Intake.DeliverySetup(context -> config -> {
                    RecordingTarget t = new RecordingTarget(config, EnumSet.of(ItemKind.TICKET, ItemKind.FOLLOWUP,
                            ItemKind.ATTACHMENT));
                    t.failNext(RecordingTarget.failure(DeliveryFailure.Kind.REJECTED, "GLPI refused the ticket: "
                            + "entity 7 does not exist; fix delivery.targets.glpi.fields.entity"));
                    glpi.set(t);
                    return t;
                }, cfg -> TestDelivery.with(cfg, DELIVERY)));
        fx.start();
        return fx;
    }

    /** A ticket collected into the node's database with its event and outbox items, as collection writes them. */
    static long collect(IntakeFixture fx, String subject) {
        return collect(fx, subject, DELIVERY);
    }

    static long collect(IntakeFixture fx, String subject, DeliveryConfig delivery) {
        var jdbi = fx.stores().jdbi();
        TicketStore tickets = new TicketStore(jdbi, Clock.systemUTC());
        EventStore events = new EventStore(jdbi, Clock.systemUTC());
        DeliveryTargets accepts = new DeliveryTargets(c -> new RecordingTarget(c, EnumSet.of(ItemKind.TICKET,
                ItemKind.FOLLOWUP, ItemKind.ATTACHMENT)));
        accepts.apply(delivery);
        events.hook(new OutboxWriter(() -> TestDelivery.with(fx.config().current(), delivery), accepts, tickets,
                new OutboxStore(jdbi, Clock.systemUTC())));
        return new dev.intake.app.store.Transactions(jdbi).inTransaction(tx -> {
            long t = tickets.open(tx, "support", TestTickets.content(subject));
            events.append(tx, EventType.TICKET_CREATED, "support", t, null, null);
            return t;
        });
    }

    @Test
    void aRefusedTicketIsADeadLetterWithItsReasonAndRetrySendsIt() throws Exception {
        fx = node(dir, glpi);
        WebClient admin = new WebClient(fx).signIn();
        long ticket = collect(fx, "Printer on fire");

        Eventually.await("the refused ticket in the dead-letter list", () -> read(admin,
                "/api/deliveries?state=dead").get("deliveries").size() == 1);
        JsonNode page = read(admin, "/api/deliveries?state=dead");
        JsonNode dead = page.get("deliveries").get(0);
        assertThat(dead.get("target").asText()).isEqualTo("glpi");
        assertThat(dead.get("kind").asText()).isEqualTo("ticket");
        assertThat(dead.get("ticket").asLong()).isEqualTo(ticket);
        assertThat(dead.get("attempts").asInt()).isEqualTo(1);
        assertThat(dead.get("lastError").asText()).isEqualTo("GLPI refused the ticket: entity 7 does not exist; fix "
                + "delivery.targets.glpi.fields.entity");
        JsonNode target = page.get("targets").get(0);
        assertThat(target.get("name").asText()).isEqualTo("glpi");
        assertThat(target.get("status").asText()).isEqualTo("failing");
        assertThat(target.get("dead").asInt()).isEqualTo(1);
        assertThat(target.get("type").asText()).isEqualTo("glpi-legacy");
        assertThat(read(admin, "/api/tickets/" + ticket).get("deliveries")).singleElement()
                .satisfies(d -> assertThat(d.get("state").asText()).isEqualTo("dead"));
        assertThat(admin.get("/metrics").body())
                .contains("intake_deliveries_total{outcome=\"rejected\",target=\"glpi\"} 1.0")
                .contains("intake_delivery_dead{target=\"glpi\"} 1.0");

        long id = dead.get("id").asLong();
        HttpResponse<String> retried = admin.post("/api/deliveries/" + id + "/retry", Map.of(),
                "X-CSRF-Token", admin.csrf());
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(json.readTree(retried.body()).get("state").asText()).isEqualTo("pending");

        Eventually.await("the retried ticket delivered", () -> read(admin, "/api/tickets/" + ticket)
                .get("deliveries").get(0).get("state").asText().equals("delivered"));
        JsonNode delivered = read(admin, "/api/tickets/" + ticket);
        String remoteId = glpi.get().created.values().iterator().next();
        assertThat(delivered.get("deliveries").get(0).get("remoteId").asText()).isEqualTo(remoteId);
        assertThat(delivered.get("export").get("externalId").asText()).isEqualTo(remoteId);
        assertThat(glpi.get().deliveries()).hasSize(2);

        HttpResponse<String> again = admin.post("/api/deliveries/" + id + "/retry", Map.of(), "X-CSRF-Token", admin.csrf());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("is delivered, not dead");
        HttpResponse<String> skip = admin.post("/api/deliveries/" + id + "/skip", Map.of(), "X-CSRF-Token", admin.csrf());
        assertThat(skip.statusCode()).isEqualTo(409);
        assertThat(admin.post("/api/deliveries/999999/skip", Map.of(), "X-CSRF-Token", admin.csrf()).statusCode())
                .isEqualTo(404);
        assertThat(admin.get("/api/deliveries?state=lost").statusCode()).isEqualTo(400);
        assertThat(admin.get("/api/deliveries?target=nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void aBacklogOlderThanTheLimitMakesTheNodeDegradedNotUnready() throws Exception {
        DeliveryConfig delivery = new DeliveryConfig(java.util.List.of(TestDelivery.helpdesk("glpi")), 100,
                Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(2));
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com")
                .delivery(new Intake.DeliverySetup(context -> config -> {
                    RecordingTarget t = new RecordingTarget(config, EnumSet.of(ItemKind.TICKET));
                    for (int i = 0; i < 1000; i++) {
                        t.failNext(RecordingTarget.failure(DeliveryFailure.Kind.RETRY,
                                "GLPI answered 503 Service Unavailable"));
                    }
                    glpi.set(t);
                    return t;
                }, cfg -> TestDelivery.with(cfg, delivery)));
        fx.start();
        collect(fx, "Waiting for GLPI", delivery);

        Eventually.await("the backlog warning", () -> fx.intake().readiness().warnings().stream()
                .anyMatch(w -> w.startsWith("delivery target 'glpi': 1 item(s) undelivered")
                        && w.contains("last error: GLPI answered 503")));
        HttpResponse<String> ready = new WebClient(fx).get("/health/ready");
        assertThat(ready.statusCode()).as("GLPI down delays tickets, it does not stop the node").isEqualTo(200);
        JsonNode body = json.readTree(ready.body());
        assertThat(body.get("status").asText()).isEqualTo("degraded");
        assertThat(body.get("warnings").toString()).contains("delivery target 'glpi'",
                "GLPI answered 503 Service Unavailable", "see the Delivery page");
        assertThat(new WebClient(fx).signIn().get("/metrics").body())
                .contains("intake_delivery_backlog{target=\"glpi\"} 1.0")
                .containsPattern("intake_delivery_oldest_pending_seconds\\{target=\"glpi\"} [1-9]")
                .contains("intake_deliveries_total{outcome=\"retry\",target=\"glpi\"}");
    }

    private JsonNode read(WebClient client, String path) {
        try {
            HttpResponse<String> r = client.get(path);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return json.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
