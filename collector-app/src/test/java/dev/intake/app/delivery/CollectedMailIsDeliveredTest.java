package dev.intake.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.Intake;
import dev.intake.app.process.Eventually;
import dev.intake.app.support.IntakeFixture;
import dev.intake.app.support.TestDelivery;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.config.DeliveryConfig;
import dev.intake.config.Secret;
import dev.intake.config.WebhookTargetConfig;
import dev.intake.testing.FakeGlpiLegacy;
import dev.intake.testing.FakeWebhookReceiver;
import dev.intake.testing.Mails;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail collected from GreenMail by a running node reaches its targets through the outbox written by collection
 * itself: the helpdesk gets the ticket, its attachment and the reply in order, on the remote ticket; the webhook
 * gets one notification per event, the refused message's too.
 */
class CollectedMailIsDeliveredTest {

    static final String ADDRESS = "support@contoso.com";
    static final String TOKEN = "imap-access-token-delivery";

    @TempDir
    Path dir;

    IntakeFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aCollectedTicketItsAttachmentAndItsReplyReachTheHelpdeskInOrder() throws Exception {
        DeliveryConfig delivery = new DeliveryConfig(List.of(TestDelivery.helpdesk("glpi"),
                new WebhookTargetConfig("hook", URI.create("https://hooks.example/intake"), Secret.of("whsec_x"), Set.of(),
                        Duration.ofSeconds(20))), 5, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofHours(1));
        Map<String, RecordingTarget> targets = new ConcurrentHashMap<>();
        fx = new IntakeFixture(dir).mailbox("support", "entra", ADDRESS, "paused: true", "initial-sync: all")
                .delivery(new Intake.DeliverySetup(context -> config -> {
                    RecordingTarget t = new RecordingTarget(config, config.name().equals("hook")
                            ? EnumSet.of(ItemKind.TICKET, ItemKind.FOLLOWUP, ItemKind.MESSAGE_REFUSED)
                            : EnumSet.of(ItemKind.TICKET, ItemKind.FOLLOWUP, ItemKind.ATTACHMENT));
                    targets.put(config.name(), t);
                    return t;
                }, cfg -> TestDelivery.with(cfg, delivery)));
        fx.entra().fixedAccessToken(TOKEN);
        GreenMailUser user = fx.imapUser(ADDRESS, TOKEN);
        fx.start();
        assertThat(fx.authorize("support", ADDRESS).status()).isEqualTo(200);
        fx.append(user, "INBOX", Mails.withAttachment("carol@customer.example", ADDRESS, "Invoice March",
                "<i1@customer.example>", "See attached", "invoice.pdf",
                "%PDF-1.4 delivery test".getBytes(StandardCharsets.US_ASCII)), Instant.now());
        fx.append(user, "INBOX", Mails.plain("bulk@shop.example", ADDRESS, "Deals", "<d1@shop.example>", "Buy",
                "Precedence: bulk"), Instant.now());
        poll();
        long ticket = fx.intake().tickets().list(TicketQuery.firstPage(10)).get(0).number();
        fx.append(user, "INBOX", Mails.plain("carol@customer.example", ADDRESS, "RE: Invoice March [#" + ticket + "]",
                "<i2@customer.example>", "Any news?"), Instant.now());
        poll();

        Eventually.await("everything delivered", () -> targets.containsKey("glpi") && targets.containsKey("hook")
                && targets.get("glpi").deliveries().size() == 3 && targets.get("hook").deliveries().size() == 3);
        List<Delivery> glpi = targets.get("glpi").deliveries();
        assertThat(glpi).extracting(Delivery::kind).containsExactly(ItemKind.TICKET, ItemKind.ATTACHMENT,
                ItemKind.FOLLOWUP);
        String remoteTicket = targets.get("glpi").created.get(glpi.get(0).deliveryId());
        assertThat(((Delivery.NewTicket) glpi.get(0)).ticket().subject()).isEqualTo("Invoice March");
        Delivery.NewAttachment attachment = (Delivery.NewAttachment) glpi.get(1);
        assertThat(attachment.attachment().fileName()).isEqualTo("invoice.pdf");
        assertThat(attachment.remoteTicketId()).isEqualTo(remoteTicket);
        assertThat(targets.get("glpi").received.get(1).content()).contains("%PDF-1.4 delivery test");
        Delivery.NewFollowup reply = (Delivery.NewFollowup) glpi.get(2);
        assertThat(reply.remoteTicketId()).isEqualTo(remoteTicket);
        assertThat(reply.followup().bodyText()).contains("Any news?");

        assertThat(targets.get("hook").deliveries()).extracting(Delivery::kind)
                .containsExactlyInAnyOrder(ItemKind.TICKET, ItemKind.MESSAGE_REFUSED, ItemKind.FOLLOWUP);
        assertThat(fx.intake().tickets().find(ticket).orElseThrow().export())
                .hasValueSatisfying(e -> assertThat(e.externalId()).isEqualTo(remoteTicket));
        assertThat(fx.intake().deliveries().items(Optional.empty(), Optional.of(ItemState.DELIVERED), 100)).hasSize(6);
    }

    private void poll() throws Exception {
        fx.intake().collection().poll(fx.intake().currentConfig().mailbox("support").orElseThrow(), () -> false);
    }
    @Test
    void glpiLegacyAndAWebhookConfiguredInCollectorYamlReceiveWhatANodeCollects() throws Exception {
        String whsec = "whsec_" + java.util.Base64.getEncoder().encodeToString("a-32-byte-signing-key-for-tests!"
                .getBytes(StandardCharsets.US_ASCII));
        try (FakeGlpiLegacy legacy = FakeGlpiLegacy.start().requireAppToken("app-token-1");
                FakeWebhookReceiver hook = FakeWebhookReceiver.start(whsec)) {
            legacy.addUser("intake-bot");
            legacy.userToken("intake-bot", "user-token-1");
            fx = new IntakeFixture(dir).mailbox("support", "entra", ADDRESS, "auth: app", "initial-sync: all",
                    "poll-every: 1s")
                    .yaml("delivery:\n"
                            + "  targets:\n"
                            + "    - name: old-glpi\n"
                            + "      type: glpi-legacy\n"
                            + "      url: " + legacy.url() + "\n"
                            + "      app-token: ${file:glpi-app-token}\n"
                            + "      user-token: ${file:glpi-user-token}\n"
                            + "    - name: chat\n"
                            + "      type: webhook\n"
                            + "      url: " + hook.url() + "\n"
                            + "      secret: ${file:webhook-secret}\n");
            fx.writeSecret("glpi-app-token", "app-token-1");
            fx.writeSecret("glpi-user-token", "user-token-1");
            fx.writeSecret("webhook-secret", whsec);
            fx.entra().fixedAccessToken(TOKEN);
            GreenMailUser user = fx.imapUser(ADDRESS, TOKEN);
            fx.append(user, "INBOX", Mails.plain("Ann <ann@customer.example>", ADDRESS, "Printer on fire",
                    "<fire@customer.example>", "Smoke everywhere."), Instant.now());
            fx.append(user, "INBOX", Mails.plain("Bob <bob@customer.example>", ADDRESS, "Out of office",
                    "<ooo@customer.example>", "Away.", "Auto-Submitted: auto-replied"), Instant.now());
            fx.start();

            Eventually.await("the ticket in GLPI and both events at the webhook", () -> legacy.tickets().size() == 1
                    && hook.accepted().size() == 2);
            assertThat(legacy.tickets().get(0).path("name").asText()).isEqualTo("Printer on fire");
            assertThat(legacy.tickets().get(0).path("content").asText()).contains("Collected by Intake, ticket #");
            assertThat(hook.refused()).as("every signature verified by Standard Webhooks' own library").isEmpty();
            Map<String, com.fasterxml.jackson.databind.JsonNode> events = new java.util.HashMap<>();
            hook.accepted().forEach(d -> events.put(d.json().get("type").asText(), d.json()));
            assertThat(events.keySet()).containsExactlyInAnyOrder("ticket.created", "message.refused");
            assertThat(events.get("ticket.created").at("/data/ticket/url").asText())
                    .isEqualTo(fx.url("/tickets/" + events.get("ticket.created").at("/data/ticket/number").asLong()).toString());
            assertThat(events.get("message.refused").at("/data/reason").asText()).isNotBlank();
        }
    }
}
