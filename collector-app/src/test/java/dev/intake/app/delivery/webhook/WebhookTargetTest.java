package dev.intake.app.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.app.delivery.Delivered;
import dev.intake.app.delivery.Delivery;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryFailure.Kind;
import dev.intake.app.delivery.ItemKind;
import dev.intake.app.events.EventType;
import dev.intake.app.events.IntegrationEvent;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketStatus;
import dev.intake.config.Secret;
import dev.intake.config.WebhookTargetConfig;
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.FakeWebhookReceiver;
import dev.intake.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook target against a receiver that verifies like a real one, over real HTTP: the receiver checks
 * signatures with the Standard Webhooks library, not with Intake's signing code.
 */
class WebhookTargetTest {

    static final String SECRET = key(32, 3);
    private static final URI PUBLIC_URL = URI.create("https://intake.example.com/");
    private static final Instant CREATED = Instant.parse("2026-11-23T09:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final MutableClock clock = MutableClock.startingNow();
    FakeWebhookReceiver receiver;

    static String key(int bytes, int seed) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return "whsec_" + Base64.getEncoder().encodeToString(b);
    }

    @BeforeEach
    void setUp() {
        receiver = FakeWebhookReceiver.start(SECRET);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private WebhookTarget target(String secret, Duration timeout, Set<String> events) {
        return new WebhookTarget(new WebhookTargetConfig("hooks", receiver.url(), Secret.of(secret), events, timeout),
                http, clock, PUBLIC_URL);
    }

    private WebhookTarget target() {
        return target(SECRET, Duration.ofSeconds(5), Set.of());
    }

    // ---- the items ----

    static Ticket ticket() {
        Ticket.AttachmentInfo screenshot = new Ticket.AttachmentInfo(31, Optional.of(5L), "screen.png", "image/png", 1234,
                "ab".repeat(32), Optional.empty(), false);
        Ticket.Followup followup = new Ticket.Followup(5, Optional.of(new Person("ann@example.com", Optional.empty())),
                List.of(), CREATED.plusSeconds(3600), "Still broken.", Optional.empty(), Optional.of("<f@example.com>"),
                List.of(), CREATED.plusSeconds(3605), List.of(screenshot));
        return new Ticket(17, "support", "Printer on fire", Optional.of(new Person("ann@example.com",
                Optional.of("Ann Example"))), List.of(), CREATED, "It burns.", Optional.empty(),
                Optional.of("<m@example.com>"), List.of(), CREATED.plusSeconds(3), List.of(followup), List.of(screenshot),
                TicketStatus.NEW, Optional.empty(), List.of());
    }

    static Delivery.Notification notification(EventType type, Optional<Long> followup, Optional<String> detail,
            boolean withTicket) {
        Optional<Long> number = withTicket ? Optional.of(17L) : Optional.empty();
        IntegrationEvent event = new IntegrationEvent(41, type, Optional.of("support"), number, followup, detail,
                CREATED.plusSeconds(4));
        ItemKind kind = switch (type) {
            case TICKET_CREATED -> ItemKind.TICKET;
            case FOLLOWUP_ADDED -> ItemKind.FOLLOWUP;
            case MESSAGE_REFUSED -> ItemKind.MESSAGE_REFUSED;
            case MAILBOX_STATE_CHANGED -> ItemKind.MAILBOX_STATE_CHANGED;
        };
        return new Delivery.Notification(UUID.randomUUID().toString(), false, event, kind,
                withTicket ? Optional.of(ticket()) : Optional.empty());
    }

    static Delivery.Notification ticketCreated() {
        return notification(EventType.TICKET_CREATED, Optional.empty(), Optional.empty(), true);
    }

    private static Delivery.Notification again(Delivery.Notification n) {
        return new Delivery.Notification(n.deliveryId(), true, n.event(), n.kind(), n.ticket());
    }

    private static DeliveryFailure failureOf(WebhookTarget target, Delivery delivery) {
        DeliveryFailure failure = catchThrowableOfType(DeliveryFailure.class, () -> target.deliver(delivery));
        assertThat(failure).as("the delivery should have failed").isNotNull();
        return failure;
    }

    // ---- signing ----

    @Test
    void signedEventIsVerifiedByTheStandardWebhooksLibraryAndItsIdIsTheRemoteId() throws Exception {
        Delivery.Notification item = ticketCreated();

        Delivered delivered = target().deliver(item);

        assertThat(delivered.remoteId()).isEqualTo(item.deliveryId());
        assertThat(receiver.refused()).isEmpty();
        assertThat(receiver.accepted()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(item.deliveryId());
            assertThat(d.timestamp()).as("the attempt's time, from the target's clock")
                    .isEqualTo(clock.instant().getEpochSecond());
            assertThat(d.contentType()).isEqualTo("application/json");
        });
    }

    @Test
    void receiverWithAnotherSecretRefusesAndTheTargetIsUnauthorizedNotTheItem() {
        DeliveryFailure failure = failureOf(target(key(32, 4), Duration.ofSeconds(5), Set.of()), ticketCreated());

        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("webhook 'hooks'", "refused the request (401)", "same secret");
        assertThat(receiver.refused()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("No matching signature"));
        assertThat(receiver.accepted()).isEmpty();
    }

    @Test
    void attemptTimestampOutsideTheReceiversToleranceIsRefused() {
        clock.advance(Duration.ofMinutes(-10));

        DeliveryFailure failure = failureOf(target(), ticketCreated());

        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("clock");
        assertThat(receiver.refused()).singleElement().satisfies(r -> assertThat(r.reason()).containsIgnoringCase("old"));
    }

    // ---- answers ----

    @Test
    void serverErrorIsRetriedAfterTheWaitTheReceiverAskedFor() throws Exception {
        receiver.failNext(1, 503, "{\"error\": \"maintenance\"}", Optional.of("120"));
        WebhookTarget target = target();
        Delivery.Notification item = ticketCreated();

        DeliveryFailure failure = failureOf(target, item);
        assertThat(failure.kind()).isEqualTo(Kind.RETRY);
        assertThat(failure.retryAfter()).contains(Duration.ofMinutes(2));
        assertThat(failure.getMessage()).contains("answered 503", "maintenance");

        assertThat(target.deliver(again(item)).remoteId()).isEqualTo(item.deliveryId());
        assertThat(receiver.accepted()).hasSize(1);
        assertThat(receiver.arrivals()).extracting(FakeWebhookReceiver.Arrival::status).containsExactly(503, 204);
    }

    @Test
    void tooManyRequestsWithAnHttpDateIsRetriedThen() {
        String at = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(300).atOffset(ZoneOffset.UTC));
        receiver.failNext(1, 429, "", Optional.of(at));

        DeliveryFailure failure = failureOf(target(), ticketCreated());

        assertThat(failure.kind()).isEqualTo(Kind.RETRY);
        assertThat(failure.retryAfter()).hasValueSatisfying(w ->
                assertThat(w).isBetween(Duration.ofSeconds(299), Duration.ofSeconds(300)));
    }

    @Test
    void receiverDownIsRetriedAndTakesTheItemWhenBack() throws Exception {
        WebhookTarget target = target();
        Delivery.Notification item = ticketCreated();
        receiver.down();

        DeliveryFailure failure = failureOf(target, item);
        assertThat(failure.kind()).isEqualTo(Kind.RETRY);
        assertThat(failure.getMessage()).contains("refused the connection");

        receiver.up();
        target.deliver(again(item));
        assertThat(receiver.accepted()).extracting(FakeWebhookReceiver.Delivery::id).containsExactly(item.deliveryId());
    }

    @Test
    void slowAnswerIsUncertainAndTheResendCarriesTheSameIdWhichTheReceiverDrops() throws Exception {
        receiver.answerSlowly(1, Duration.ofSeconds(3));
        WebhookTarget target = target(SECRET, Duration.ofSeconds(1), Set.of());
        Delivery.Notification item = ticketCreated();

        DeliveryFailure failure = failureOf(target, item);
        assertThat(failure.kind()).isEqualTo(Kind.UNCERTAIN);
        assertThat(failure.getMessage()).contains("did not answer within 1s", "same webhook-id");

        clock.advance(Duration.ofSeconds(30));
        assertThat(target.deliver(again(item)).remoteId()).isEqualTo(item.deliveryId());

        assertThat(receiver.accepted()).extracting(FakeWebhookReceiver.Delivery::id).containsExactly(item.deliveryId());
        assertThat(receiver.duplicates()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(item.deliveryId());
            assertThat(d.timestamp()).as("each attempt is stamped anew")
                    .isEqualTo(receiver.accepted().get(0).timestamp() + 30);
            assertThat(d.body()).as("the same event").isEqualTo(receiver.accepted().get(0).body());
        });
    }

    @Test
    void goneIsRejectedWithWhatToDo() {
        receiver.gone();

        DeliveryFailure failure = failureOf(target(), ticketCreated());

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage())
                .contains("410", "the receiver says this endpoint is gone; remove or fix the target");
    }

    @Test
    void otherClientErrorIsRejectedWithTheStatusAndAShortPlainExcerpt() {
        String page = "<html><body><h1>Unprocessable</h1>\n<p>field 'ticket' is not understood</p>\n"
                + "x".repeat(2000) + "</body></html>";
        receiver.failNext(1, 422, page, Optional.empty());

        DeliveryFailure failure = failureOf(target(), ticketCreated());

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("refused this event (422): Unprocessable field 'ticket' is not understood")
                .doesNotContain("<", "\n", "x".repeat(WebhookAnswers.EXCERPT_LIMIT));
    }

    @Test
    void acceptsItsEventsOnlyAndNeverAttachments() {
        WebhookTarget all = target();
        assertThat(all.accepts(ItemKind.TICKET)).isTrue();
        assertThat(all.accepts(ItemKind.FOLLOWUP)).isTrue();
        assertThat(all.accepts(ItemKind.MESSAGE_REFUSED)).isTrue();
        assertThat(all.accepts(ItemKind.MAILBOX_STATE_CHANGED)).isTrue();
        assertThat(all.accepts(ItemKind.ATTACHMENT)).isFalse();

        WebhookTarget some = target(SECRET, Duration.ofSeconds(5), Set.of("message.refused"));
        assertThat(some.accepts(ItemKind.MESSAGE_REFUSED)).isTrue();
        assertThat(some.accepts(ItemKind.TICKET)).isFalse();
        DeliveryFailure failure = failureOf(some, ticketCreated());
        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(receiver.arrivals()).as("nothing sent").isEmpty();
    }

    // ---- secrets ----

    @Test
    void secretNeverAppearsInLogsOrMessagesAndMessagesLeaveTheUrlsPathOut() throws Exception {
        List<String> messages = new ArrayList<>();
        String logged;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            target().deliver(ticketCreated());
            receiver.failNext(1, 500);
            messages.add(CapturedLogs.describe(failureOf(target(), ticketCreated())));
            messages.add(CapturedLogs.describe(failureOf(target(key(32, 9), Duration.ofSeconds(5), Set.of()),
                    ticketCreated())));
            receiver.down();
            messages.add(CapturedLogs.describe(failureOf(target(), ticketCreated())));
            logged = logs.text();
        }

        String shown = String.join("\n", messages);
        assertThat(shown).contains("webhook 'hooks' (http://127.0.0.1:");
        // a webhook URL's path often is a token of its own (chat webhooks): admins see the host only
        assertThat(shown).doesNotContain(FakeWebhookReceiver.PATH);
        assertThat(logged).as("the log, down to the JDK HTTP client's debug lines").isNotEmpty();
        for (String text : List.of(shown, logged)) {
            assertThat(text).doesNotContain(SECRET, SECRET.substring("whsec_".length()), key(32, 9).substring(6));
        }
    }

    // ---- payloads ----

    private JsonNode sent(Delivery delivery) throws Exception {
        target().deliver(delivery);
        List<FakeWebhookReceiver.Delivery> accepted = receiver.accepted();
        return accepted.get(accepted.size() - 1).json();
    }

    @Test
    void ticketCreatedCarriesTheTicketAndItsLinks() throws Exception {
        assertThat(sent(ticketCreated())).isEqualTo(JSON.readTree("""
                {"type": "ticket.created", "timestamp": "2026-11-23T09:00:04Z", "data": {
                  "cursor": "41", "mailbox": "support",
                  "ticket": {"number": 17, "subject": "Printer on fire",
                    "requester": {"address": "ann@example.com", "name": "Ann Example"},
                    "status": "new", "date": "2026-11-23T09:00:00Z", "createdAt": "2026-11-23T09:00:03Z",
                    "followups": 1, "attachments": 1,
                    "url": "https://intake.example.com/tickets/17",
                    "apiUrl": "https://intake.example.com/api/tickets/17"}}}
                """));
    }

    @Test
    void followupAddedCarriesTheFollowupAndItsTicket() throws Exception {
        JsonNode json = sent(notification(EventType.FOLLOWUP_ADDED, Optional.of(5L), Optional.empty(), true));

        assertThat(json.get("type").asText()).isEqualTo("followup.added");
        assertThat(json.at("/data/ticket/number").asLong()).isEqualTo(17);
        assertThat(json.at("/data/followup")).isEqualTo(JSON.readTree("""
                {"id": 5, "from": {"address": "ann@example.com", "name": null}, "date": "2026-11-23T10:00:00Z",
                 "attachments": 1}
                """));
    }

    @Test
    void messageRefusedCarriesTheReason() throws Exception {
        assertThat(sent(notification(EventType.MESSAGE_REFUSED, Optional.empty(), Optional.of("BULK"), false)))
                .isEqualTo(JSON.readTree("""
                        {"type": "message.refused", "timestamp": "2026-11-23T09:00:04Z",
                         "data": {"cursor": "41", "mailbox": "support", "reason": "BULK"}}
                        """));
    }

    @Test
    void mailboxStateChangedCarriesTheState() throws Exception {
        assertThat(sent(notification(EventType.MAILBOX_STATE_CHANGED, Optional.empty(), Optional.of("paused"), false)))
                .isEqualTo(JSON.readTree("""
                        {"type": "mailbox.state-changed", "timestamp": "2026-11-23T09:00:04Z",
                         "data": {"cursor": "41", "mailbox": "support", "state": "paused"}}
                        """));
    }

    @Test
    void outboxItemsOfTicketsAndFollowupsAreSentAsTheirEvents() throws Exception {
        Ticket ticket = ticket();
        JsonNode created = sent(new Delivery.NewTicket(UUID.randomUUID().toString(), false, ticket));
        assertThat(created.get("type").asText()).isEqualTo("ticket.created");
        assertThat(created.at("/data/cursor").isNull()).as("not from the event feed").isTrue();
        assertThat(created.at("/data/ticket/subject").asText()).isEqualTo("Printer on fire");

        JsonNode added = sent(new Delivery.NewFollowup(UUID.randomUUID().toString(), false, ticket,
                ticket.followups().get(0), "remote-17"));
        assertThat(added.get("type").asText()).isEqualTo("followup.added");
        assertThat(added.at("/data/followup/id").asLong()).isEqualTo(5);
        assertThat(added.at("/data/followup/from/address").asText()).isEqualTo("ann@example.com");
    }

    @Test
    void withoutAPublicUrlTheTicketHasNoLinks() throws Exception {
        new WebhookTarget(new WebhookTargetConfig("hooks", receiver.url(), Secret.of(SECRET), Set.of(),
                Duration.ofSeconds(5)), http, clock).deliver(ticketCreated());

        JsonNode ticket = receiver.accepted().get(0).json().at("/data/ticket");
        assertThat(ticket.get("url").isNull()).isTrue();
        assertThat(ticket.get("apiUrl").isNull()).isTrue();
    }
}
