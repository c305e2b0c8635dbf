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
}
