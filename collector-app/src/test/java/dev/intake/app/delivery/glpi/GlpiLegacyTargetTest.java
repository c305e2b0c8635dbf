package dev.intake.app.delivery.glpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.intake.config.GlpiLegacyTargetConfig;
import dev.intake.config.GlpiTicketFields;
import dev.intake.config.Secret;
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.FakeGlpiLegacy;
import dev.intake.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link GlpiLegacyTarget} against {@link FakeGlpiLegacy} over real HTTP. */
class GlpiLegacyTargetTest {

    private static final String USER_TOKEN = "u7Hq2xYtokenOfTheIntakeUser";
    private static final String APP_TOKEN = "appTok3nOfTheIntakeApiClient";
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private FakeGlpiLegacy glpi;
    private GlpiLegacyTarget target;

    @BeforeEach
    void startGlpi() {
        glpi = FakeGlpiLegacy.start();
        glpi.addUser("intake", "intake@helpdesk.example");
        glpi.userToken("intake", USER_TOKEN);
        target = target(config(Optional.of(USER_TOKEN), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @AfterEach
    void stopGlpi() {
        target.close();
        glpi.close();
    }

    @Test
    void aTicketFromAKnownSenderHasTheGlpiUserAsRequester() throws DeliveryFailure {
        long alice = glpi.addUser("alice", "alice@customer.example", "a.smith@customer.example");

        Delivered delivered = target.deliver(newTicket("d-1", false, ticket(7, "Printer jammed",
                Optional.of("A.Smith@Customer.example"))));

        ObjectNode created = only(glpi.tickets());
        assertThat(delivered.remoteId()).isEqualTo(created.path("id").asText());
        assertThat(delivered.remoteUrl()).contains(glpi.url() + "/front/ticket.form.php?id=" + delivered.remoteId());
        assertThat(created.path("name").asText()).isEqualTo("Printer jammed");
        assertThat(created.path("content").asText()).contains("<p>Body of #7</p>").contains("intake-delivery:d-1");
        assertThat(created.path("type").asInt()).isEqualTo(2);
        assertThat(created.path("urgency").asInt()).isEqualTo(4);
        assertThat(created.path("entities_id").asLong()).isEqualTo(3);
        assertThat(created.path("itilcategories_id").asLong()).isEqualTo(12);
        assertThat(created.path("requesttypes_id").asLong()).isEqualTo(2);
        assertThat(created.path("_users_id_requester").asLong()).isEqualTo(alice);
        assertThat(created.path("_users_id_requester_notif").path("alternative_email").get(0).asText()).isEmpty();
    }

    @Test
    void aTicketFromAnUnknownSenderKeepsTheAddressAsAlternativeEmail() throws DeliveryFailure {
        glpi.addUser("bob", "bob@customer.example");

        target.deliver(newTicket("d-1", false, ticket(8, "VPN down", Optional.of("carol@customer.example"))));

        ObjectNode created = only(glpi.tickets());
        assertThat(created.path("_users_id_requester").asLong()).isZero();
        ObjectNode notification = (ObjectNode) created.path("_users_id_requester_notif");
        assertThat(notification.path("use_notification").get(0).asInt()).isEqualTo(1);
        assertThat(notification.path("alternative_email").get(0).asText()).isEqualTo("carol@customer.example");
    }

    @Test
    void aFollowupGoesToTheGlpiTicketOfItsTicket() throws DeliveryFailure {
        Ticket first = ticket(1, "First", Optional.empty());
        Ticket second = ticket(2, "Second", Optional.empty());
        target.deliver(newTicket("t-1", false, first));
        String secondId = target.deliver(newTicket("t-2", false, second)).remoteId();

        Delivered delivered = target.deliver(new Delivery.NewFollowup("f-1", false, second, followup("Any news?"),
                secondId));

        ObjectNode followup = only(glpi.followups());
        assertThat(delivered.remoteId()).isEqualTo(followup.path("id").asText());
        assertThat(delivered.remoteUrl()).contains(glpi.url() + "/front/ticket.form.php?id=" + secondId);
        assertThat(followup.path("itemtype").asText()).isEqualTo("Ticket");
        assertThat(followup.path("items_id").asText()).isEqualTo(secondId);
        assertThat(followup.path("content").asText()).contains("Any news?").contains("intake-delivery:f-1");
    }

    @Test
    void anAttachmentIsUploadedWithItsBytesAndLinkedToTheTicket() throws DeliveryFailure {
        Ticket ticket = ticket(3, "Screenshot", Optional.empty());
        String ticketId = target.deliver(newTicket("t-1", false, ticket)).remoteId();
        byte[] bytes = binary(200_000);
        String name = "écran \"final\" – 2026.png";

        Delivered delivered = target.deliver(attachment("a-1", false, ticket, name, "image/png", bytes, ticketId));

        FakeGlpiLegacy.Document document = only(glpi.documents());
        assertThat(delivered.remoteId()).isEqualTo(Long.toString(document.id()));
        assertThat(delivered.remoteUrl()).contains(glpi.url() + "/front/document.form.php?id=" + document.id());
        assertThat(document.content()).isEqualTo(bytes);
        assertThat(document.fileName()).isEqualTo(name);
        assertThat(document.fields().path("name").asText()).isEqualTo(name);
        assertThat(document.fields().path("mime").asText()).isEqualTo("image/png");
        assertThat(document.fields().path("comment").asText()).contains("intake-delivery:a-1");
        ObjectNode link = only(glpi.documentItems());
        assertThat(link.path("documents_id").asLong()).isEqualTo(document.id());
        assertThat(link.path("itemtype").asText()).isEqualTo("Ticket");
        assertThat(link.path("items_id").asText()).isEqualTo(ticketId);
    }

    @Test
    void oneSessionServesEveryItem() throws DeliveryFailure {
        Ticket ticket = ticket(4, "Reused", Optional.of("someone@customer.example"));
        String ticketId = target.deliver(newTicket("t-1", false, ticket)).remoteId();
        target.deliver(new Delivery.NewFollowup("f-1", false, ticket, followup("more"), ticketId));
        target.deliver(attachment("a-1", false, ticket, "log.txt", "text/plain", binary(10), ticketId));

        assertThat(glpi.sessionsOpened()).isEqualTo(1);
        assertThat(glpi.requests()).filteredOn(r -> r.path().endsWith("/initSession")).hasSize(1);
    }

    @Test
    void anExpiredSessionIsOpenedAgainAndTheItemStillGoes() throws DeliveryFailure {
        target.deliver(newTicket("t-1", false, ticket(5, "Before", Optional.empty())));
        glpi.expireSessions();

        target.deliver(newTicket("t-2", false, ticket(6, "After", Optional.empty())));

        assertThat(glpi.sessionsOpened()).isEqualTo(2);
        assertThat(glpi.tickets()).extracting(t -> t.path("name").asText()).containsExactly("Before", "After");
    }

    @Test
    void aWrongUserTokenIsUnauthorizedAndTheMessageSaysWhatToCheckWithoutTheToken() {
        String wrong = "wrongTokenTypedByTheAdmin";
        target = target(config(Optional.of(wrong), Optional.empty(), Optional.empty(), Optional.empty()));

        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-1", false, ticket(1, "x",
                Optional.empty()))));

        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("ERROR_GLPI_LOGIN_USER_TOKEN").contains("user-token")
                .doesNotContain(wrong);
        assertThat(glpi.tickets()).isEmpty();
    }

    @Test
    void aMissingAppTokenIsUnauthorizedAndSaysWhatToConfigure() {
        glpi.requireAppToken(APP_TOKEN);

        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-1", false, ticket(1, "x",
                Optional.empty()))));

        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("ERROR_APP_TOKEN_PARAMETERS_MISSING").contains("app-token")
                .contains("Setup > General > API");
    }

    @Test
    void aWrongAppTokenIsUnauthorizedWithoutTheToken() {
        glpi.requireAppToken(APP_TOKEN);
        String wrong = "notTheAppTokenOfGlpi";
        target = target(config(Optional.of(USER_TOKEN), Optional.of(wrong), Optional.empty(), Optional.empty()));

        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-1", false, ticket(1, "x",
                Optional.empty()))));

        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("ERROR_WRONG_APP_TOKEN_PARAMETER").doesNotContain(wrong)
                .doesNotContain(USER_TOKEN);
    }

    @Test
    void theRightAppTokenAndALoginWithPasswordOpenASession() throws DeliveryFailure {
        glpi.requireAppToken(APP_TOKEN);
        glpi.password("intake", "s3cret-Passw0rd");
        target = target(config(Optional.empty(), Optional.of(APP_TOKEN), Optional.of("intake"),
                Optional.of("s3cret-Passw0rd")));

        target.deliver(newTicket("t-1", false, ticket(1, "x", Optional.empty())));

        assertThat(glpi.tickets()).hasSize(1);
        assertThat(glpi.requests().get(0).headers()).containsEntry("Authorization", "Basic ******");
    }

    @Test
    void aWrongPasswordIsUnauthorizedWithoutThePassword() {
        glpi.password("intake", "s3cret-Passw0rd");
        target = target(config(Optional.empty(), Optional.empty(), Optional.of("intake"),
                Optional.of("typo-Passw0rd")));

        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-1", false, ticket(1, "x",
                Optional.empty()))));

        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("ERROR_GLPI_LOGIN").contains("username and password")
                .doesNotContain("typo-Passw0rd");
    }

    @Test
    void serverErrorsAreRetriedAndNothingIsCreatedMeanwhile() throws DeliveryFailure {
        target.deliver(newTicket("t-0", false, ticket(1, "opens the session", Optional.empty())));
        glpi.failNext(1, 500);
        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-1", false, ticket(2, "x",
                Optional.empty()))));
        assertThat(failure.kind()).isEqualTo(Kind.RETRY);
        assertThat(failure.getMessage()).contains("HTTP 500");

        glpi.failNext(1, 503, Optional.of("30"));
        DeliveryFailure unavailable = failure(() -> target.deliver(newTicket("t-1", false, ticket(2, "x",
                Optional.empty()))));
        assertThat(unavailable.kind()).isEqualTo(Kind.RETRY);
        assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(30));

        target.deliver(newTicket("t-1", false, ticket(2, "x", Optional.empty())));
        assertThat(glpi.tickets()).hasSize(2);
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheWaitGlpiAsksFor() {
        glpi.failNext(1, 429, Optional.of("Mon, 02 Mar 2026 09:02:00 GMT"));

        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-1", false, ticket(2, "x",
                Optional.empty()))));

        assertThat(failure.kind()).isEqualTo(Kind.RETRY);
        assertThat(failure.retryAfter()).contains(Duration.ofMinutes(2));
    }

    @Test
    void aGlpiThatIsDownIsRetriedAndTakesTheItemOnceBack() throws DeliveryFailure {
        glpi.down();
        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-1", false, ticket(1, "x",
                Optional.empty()))));
        assertThat(failure.kind()).isEqualTo(Kind.RETRY);
        assertThat(failure.getMessage()).contains("refused");

        glpi.up();
        target.deliver(newTicket("t-1", false, ticket(1, "x", Optional.empty())));
        assertThat(glpi.tickets()).hasSize(1);
    }

    @Test
    void aTicketWhoseAnswerWasLostIsFoundByTheNextAttemptInsteadOfCreatedTwice() throws DeliveryFailure {
        Ticket ticket = ticket(9, "Lost answer", Optional.empty());
        target.deliver(newTicket("other", false, ticket(8, "Another ticket", Optional.empty())));
        glpi.answerLateNextCreations(1, Duration.ofSeconds(3));

        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-9", false, ticket)));
        assertThat(failure.kind()).isEqualTo(Kind.UNCERTAIN);

        Delivered delivered = target.deliver(newTicket("t-9", true, ticket));

        assertThat(glpi.tickets()).filteredOn(t -> t.path("name").asText().equals("Lost answer")).hasSize(1);
        assertThat(delivered.remoteId()).isEqualTo(glpi.tickets().get(1).path("id").asText());
    }

    @Test
    void aFollowupAndADocumentWhoseAnswersWereLostAreFoundToo() throws DeliveryFailure {
        Ticket ticket = ticket(10, "Lost answers", Optional.empty());
        String ticketId = target.deliver(newTicket("t-10", false, ticket)).remoteId();
        target.deliver(new Delivery.NewFollowup("f-0", false, ticket, followup("earlier"), ticketId));
        byte[] bytes = binary(5000);

        glpi.answerLateNextCreations(2, Duration.ofSeconds(3));
        assertThat(failure(() -> target.deliver(new Delivery.NewFollowup("f-1", false, ticket, followup("late"),
                ticketId))).kind()).isEqualTo(Kind.UNCERTAIN);
        assertThat(failure(() -> target.deliver(attachment("a-1", false, ticket, "late.bin",
                "application/octet-stream", bytes, ticketId))).kind()).isEqualTo(Kind.UNCERTAIN);

        Delivered followup = target.deliver(new Delivery.NewFollowup("f-1", true, ticket, followup("late"),
                ticketId));
        Delivered document = target.deliver(attachment("a-1", true, ticket, "late.bin", "application/octet-stream",
                bytes, ticketId));

        assertThat(glpi.followups()).hasSize(2);
        assertThat(followup.remoteId()).isEqualTo(glpi.followups().get(1).path("id").asText());
        assertThat(only(glpi.documents()).id()).isEqualTo(Long.parseLong(document.remoteId()));
    }

    @Test
    void aMaybeSentItemThatGlpiNeverGotIsCreated() throws DeliveryFailure {
        Delivered delivered = target.deliver(newTicket("t-1", true, ticket(1, "never arrived", Optional.empty())));

        assertThat(delivered.remoteId()).isEqualTo(only(glpi.tickets()).path("id").asText());
    }

    @Test
    void aProxyGivingUpOnACreationLeavesItUncertainButOnAReadAsksOnlyForARetry() throws DeliveryFailure {
        glpi.failNext(1, 504);
        DeliveryFailure opening = failure(() -> target.deliver(newTicket("t-1", false, ticket(1, "x",
                Optional.empty()))));
        assertThat(opening.kind()).isEqualTo(Kind.RETRY);
        target.deliver(newTicket("t-0", false, ticket(0, "opens the session", Optional.empty())));

        glpi.failNext(1, 504);
        DeliveryFailure creating = failure(() -> target.deliver(newTicket("t-1", false, ticket(1, "x",
                Optional.empty()))));

        assertThat(creating.kind()).isEqualTo(Kind.UNCERTAIN);
    }

    @Test
    void anItemGlpiRefusesIsRejectedWithGlpisReason() {
        glpi.refuseField("itilcategories_id", "Category 12 is not visible in entity 3");

        DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-1", false, ticket(1, "x",
                Optional.empty()))));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("ERROR_GLPI_ADD").contains("Category 12 is not visible in entity 3");
    }

    @Test
    void aFollowupOfATicketGlpiDoesNotHaveIsRejected() {
        DeliveryFailure failure = failure(() -> target.deliver(new Delivery.NewFollowup("f-1", false,
                ticket(1, "x", Optional.empty()), followup("orphan"), "999")));

        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(failure.getMessage()).contains("GLPI ticket 999");
    }

    @Test
    void withoutTheRightToReadUsersTheSenderIsKeptAsAlternativeEmail() throws DeliveryFailure {
        glpi.addUser("alice", "alice@customer.example");
        glpi.forbid("UserEmail");

        try (CapturedLogs logs = CapturedLogs.capture()) {
            target.deliver(newTicket("t-1", false, ticket(1, "x", Optional.of("alice@customer.example"))));
            target.deliver(newTicket("t-2", false, ticket(2, "y", Optional.of("alice@customer.example"))));

            assertThat(logs.lines()).filteredOn(line -> line.contains("may not read users")).hasSize(1);
        }
        assertThat(glpi.tickets()).allSatisfy(created -> {
            assertThat(created.path("_users_id_requester").asLong()).isZero();
            assertThat(created.path("_users_id_requester_notif").path("alternative_email").get(0).asText())
                    .isEqualTo("alice@customer.example");
        });
    }

    @Test
    void aMissingRightToCreateIsUnauthorizedAndNamesTheProfile() throws DeliveryFailure {
        Ticket ticket = ticket(1, "x", Optional.empty());
        String ticketId = target.deliver(newTicket("t-1", false, ticket)).remoteId();
        glpi.forbid("ITILFollowup");

        DeliveryFailure failure = failure(() -> target.deliver(new Delivery.NewFollowup("f-1", false, ticket,
                followup("no right"), ticketId)));

        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("ERROR_RIGHT_MISSING").contains("profile");
    }

    @Test
    void noSecretReachesTheLogsOrTheFailures() throws DeliveryFailure {
        glpi.requireAppToken(APP_TOKEN);
        target = target(config(Optional.of(USER_TOKEN), Optional.of(APP_TOKEN), Optional.empty(), Optional.empty()));
        try (CapturedLogs logs = CapturedLogs.capture()) {
            target.deliver(newTicket("t-1", false, ticket(1, "x", Optional.empty())));
            glpi.expireSessions();
            target.deliver(newTicket("t-2", false, ticket(2, "y", Optional.empty())));
            glpi.down();
            DeliveryFailure failure = failure(() -> target.deliver(newTicket("t-3", false, ticket(3, "z",
                    Optional.empty()))));
            target.close();

            assertThat(logs.text()).contains("session expired").doesNotContain(USER_TOKEN).doesNotContain(APP_TOKEN);
            assertThat(CapturedLogs.describe(failure)).doesNotContain(USER_TOKEN).doesNotContain(APP_TOKEN);
        }
    }

    @Test
    void closeEndsTheSessionAndNeverThrows() throws DeliveryFailure {
        target.deliver(newTicket("t-1", false, ticket(1, "x", Optional.empty())));
        assertThat(glpi.openSessions()).isEqualTo(1);

        target.close();
        assertThat(glpi.sessionsKilled()).isEqualTo(1);
        assertThat(glpi.openSessions()).isZero();

        int requests = glpi.requests().size();
        target.close();
        assertThat(glpi.requests()).hasSize(requests);

        GlpiLegacyTarget other = target(config(Optional.of(USER_TOKEN), Optional.empty(), Optional.empty(),
                Optional.empty()));
        other.deliver(newTicket("t-2", false, ticket(2, "y", Optional.empty())));
        glpi.down();
        other.close();
    }

    @Test
    void mailboxEventsAreNotForGlpi() {
        assertThat(target.accepts(ItemKind.TICKET)).isTrue();
        assertThat(target.accepts(ItemKind.FOLLOWUP)).isTrue();
        assertThat(target.accepts(ItemKind.ATTACHMENT)).isTrue();
        assertThat(target.accepts(ItemKind.MESSAGE_REFUSED)).isFalse();
        assertThat(target.accepts(ItemKind.MAILBOX_STATE_CHANGED)).isFalse();
        assertThat(target.name()).isEqualTo("helpdesk");

        IntegrationEvent refused = new IntegrationEvent(1, EventType.MESSAGE_REFUSED, Optional.of("support"),
                Optional.empty(), Optional.empty(), Optional.of("too large"), NOW);
        DeliveryFailure failure = failure(() -> target.deliver(new Delivery.Notification("n-1", false, refused,
                ItemKind.MESSAGE_REFUSED, Optional.empty())));
        assertThat(failure.kind()).isEqualTo(Kind.REJECTED);
        assertThat(glpi.requests()).isEmpty();
    }

    private GlpiLegacyTarget target(GlpiLegacyTargetConfig config) {
        if (target != null) {
            target.close();
        }
        return new GlpiLegacyTarget(config, http, new MutableClock(NOW));
    }

    private GlpiLegacyTargetConfig config(Optional<String> userToken, Optional<String> appToken,
            Optional<String> username, Optional<String> password) {
        return new GlpiLegacyTargetConfig("helpdesk", glpi.url(), appToken.map(Secret::of),
                userToken.map(Secret::of), username, password.map(Secret::of),
                new GlpiTicketFields(Optional.of(3L), 2, 4, Optional.of(12L), Optional.of(2L)), Duration.ofSeconds(1));
    }

    static Ticket ticket(long number, String subject, Optional<String> from) {
        return new Ticket(number, "support", subject, from.map(a -> new Person(a, Optional.empty())), List.of(),
                NOW, "Body of #" + number, Optional.empty(), Optional.of("<m" + number + "@customer.example>"),
                List.of(), NOW, List.of(), List.of(), TicketStatus.NEW, Optional.empty(), List.of());
    }

    private static Ticket.Followup followup(String text) {
        return new Ticket.Followup(UUID.randomUUID().getLeastSignificantBits() & 0xffff, Optional.empty(), List.of(),
                NOW, text, Optional.empty(), Optional.empty(), List.of(), NOW, List.of());
    }

    static Delivery.NewTicket newTicket(String deliveryId, boolean maybeSentBefore, Ticket ticket) {
        return new Delivery.NewTicket(deliveryId, maybeSentBefore, ticket);
    }

    static Delivery.NewAttachment attachment(String deliveryId, boolean maybeSentBefore, Ticket ticket, String name,
            String contentType, byte[] bytes, String remoteTicketId) {
        Ticket.AttachmentInfo info = new Ticket.AttachmentInfo(41, Optional.empty(), name, contentType, bytes.length,
                "sha", Optional.empty(), false);
        return new Delivery.NewAttachment(deliveryId, maybeSentBefore, ticket, info,
                () -> new ByteArrayInputStream(bytes), remoteTicketId, Optional.empty());
    }

    static byte[] binary(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + i / 256);
        }
        return bytes;
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private interface Attempt {
        void run() throws DeliveryFailure;
    }

    private static DeliveryFailure failure(Attempt attempt) {
        DeliveryFailure failure = catchThrowableOfType(() -> attempt.run(), DeliveryFailure.class);
        assertThat(failure).as("the delivery should have failed").isNotNull();
        return failure;
    }
}
