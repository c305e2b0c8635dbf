package dev.intake.app.delivery.glpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.intake.app.delivery.Delivered;
import dev.intake.app.delivery.Delivery;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.ItemKind;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketStatus;
import dev.intake.config.GlpiTargetConfig;
import dev.intake.config.GlpiTicketFields;
import dev.intake.config.Secret;
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.FakeGlpiHl;
import dev.intake.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GLPI high-level API target against {@link FakeGlpiHl}, over real HTTPS. */
class GlpiHlTargetTest {

    private static final String CLIENT_SECRET = "cs-Zq8-very-secret-client";
    private static final String PASSWORD = "pw-Intake-4711!";
    private static final Instant DATE = Instant.parse("2026-11-30T08:00:00Z");
    private static final GlpiTicketFields FIELDS = new GlpiTicketFields(Optional.of(3L), 2, 4, Optional.of(7L),
            Optional.of(5L));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final HttpClient http = FakeGlpiHl.client();
    private FakeGlpiHl glpi;
    private long alice;

    @BeforeEach
    void startGlpi() {
        glpi = FakeGlpiHl.start(clock).oauthClient("intake", CLIENT_SECRET);
        glpi.user("intake-bot", PASSWORD, "intake@helpdesk.example");
        alice = glpi.user("alice", null, "Alice@Example.org");
    }

    @AfterEach
    void stopGlpi() {
        glpi.close();
    }

    @Test
    void aTicketFromAKnownSenderHasTheGlpiUserAsRequesterAndTheConfiguredFields() throws Exception {
        Delivered delivered = target().deliver(newTicket(1, "alice@example.org", false));

        assertThat(glpi.tickets()).hasSize(1);
        FakeGlpiHl.StoredTicket ticket = glpi.tickets().get(0);
        assertThat(delivered.remoteId()).isEqualTo(String.valueOf(ticket.id()));
        assertThat(delivered.remoteUrl()).contains(glpi.url() + "/front/ticket.form.php?id=" + ticket.id());
        assertThat(ticket.text("name")).isEqualTo("Printer on fire");
        assertThat(ticket.text("content")).contains("<p>It is on fire.</p>").contains("intake-delivery:")
                .doesNotContain("no GLPI user");
        assertThat(ticket.fields().path("type").asInt()).isEqualTo(2);
        assertThat(ticket.fields().path("urgency").asInt()).isEqualTo(4);
        assertThat(ticket.fields().path("entity").asLong()).isEqualTo(3);
        assertThat(ticket.fields().path("category").asLong()).isEqualTo(7);
        assertThat(ticket.fields().path("request_type").asLong()).isEqualTo(5);
        assertThat(glpi.team(ticket.id())).containsExactly(new FakeGlpiHl.TeamMember(ticket.id(), alice, 1));
    }

    @Test
    void aTicketFromAnUnknownSenderNamesTheSenderAtTheTopAndHasNoUserRequester() throws Exception {
        target().deliver(newTicket(1, "bob@elsewhere.example", false));

        FakeGlpiHl.StoredTicket ticket = glpi.tickets().get(0);
        assertThat(ticket.text("content")).startsWith("<p><strong>From:</strong> Sender Name &lt;bob@elsewhere.example&gt;"
                + " (no GLPI user has this address)</p>");
        assertThat(glpi.team(ticket.id())).isEmpty();
    }

    @Test
    void aFollowupLandsOnTheRemoteTicketOfItsTicketWrittenAsItsSender() throws Exception {
        GlpiHlTarget target = target();
        String first = target.deliver(newTicket(1, "alice@example.org", false)).remoteId();
        String second = target.deliver(newTicket(2, "alice@example.org", false)).remoteId();

        Delivered delivered = target.deliver(newFollowup(ticket(2, "alice@example.org"), second, false));

        assertThat(glpi.followups(Long.parseLong(first))).isEmpty();
        List<FakeGlpiHl.StoredFollowup> onSecond = glpi.followups(Long.parseLong(second));
        assertThat(onSecond).hasSize(1);
        assertThat(delivered.remoteId()).isEqualTo(String.valueOf(onSecond.get(0).id()));
        assertThat(onSecond.get(0).text("content")).contains("Still burning.").contains("intake-delivery:");
        assertThat(onSecond.get(0).fields().path("user").asLong()).isEqualTo(alice);
        assertThat(onSecond.get(0).fields().path("is_private").asBoolean(true)).isFalse();
    }

    @Test
    void anAttachmentIsUploadedWhole_AndLinkedToItsTicket() throws Exception {
        GlpiHlTarget target = target();
        String ticketId = target.deliver(newTicket(1, "alice@example.org", false)).remoteId();
        byte[] pdf = new byte[300_000];
        new Random(7).nextBytes(pdf);

        Delivered delivered = target.deliver(newAttachment(ticketId, "report.pdf", "application/pdf", pdf, false));
        target.deliver(newAttachment(ticketId, "README", "text/plain", "read me".getBytes(StandardCharsets.UTF_8), false));

        assertThat(glpi.documents()).hasSize(2);
        FakeGlpiHl.StoredDocument document = glpi.documents().get(0);
        assertThat(delivered.remoteId()).isEqualTo(String.valueOf(document.id()));
        assertThat(document.fileName()).isEqualTo("report.pdf");
        assertThat(document.content()).isEqualTo(pdf);
        assertThat(document.comment()).contains("intake-delivery:");
        assertThat(glpi.documents().get(1).fileName()).isEqualTo("README.txt");
        assertThat(glpi.documentLinks(Long.parseLong(ticketId))).extracting(FakeGlpiHl.DocumentLink::documentId)
                .containsExactly(document.id(), glpi.documents().get(1).id());
    }

    @Test
    void anAttachmentsContentIsClosedWhetherTheUploadWentThroughOrNot() throws Exception {
        GlpiHlTarget target = target();
        String ticketId = target.deliver(newTicket(1, "alice@example.org", false)).remoteId();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Delivery.Content content = () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream("data".getBytes(StandardCharsets.UTF_8)) {
                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        };
        Ticket.AttachmentInfo info = new Ticket.AttachmentInfo(21, Optional.empty(), "a.txt", "text/plain", 4, "sha",
                Optional.empty(), false);

        target.deliver(new Delivery.NewAttachment(UUID.randomUUID().toString(), false, ticket(1, "alice@example.org"),
                info, content, ticketId, Optional.empty()));
        glpi.stop(); // refused, or (on a pooled connection the stop cut) lost: either way the upload did not go through
        assertThat(kindOf(() -> target.deliver(new Delivery.NewAttachment(UUID.randomUUID().toString(), false,
                ticket(1, "alice@example.org"), info, content, ticketId, Optional.empty()))))
                .isIn(DeliveryFailure.Kind.RETRY, DeliveryFailure.Kind.UNCERTAIN);

        assertThat(opened.get()).isEqualTo(2);
        assertThat(closed.get()).isGreaterThanOrEqualTo(2);
        assertThat(glpi.documents()).hasSize(1);
    }

    @Test
    void theTokenIsReusedUntilItExpires_ThenRenewedWithTheRefreshTokenOnce() throws Exception {
        glpi.tokenLifetime(Duration.ofMinutes(10));
        GlpiHlTarget target = target();
        String ticketId = target.deliver(newTicket(1, "alice@example.org", false)).remoteId();
        target.deliver(newFollowup(ticket(1, "alice@example.org"), ticketId, false));
        target.deliver(newAttachment(ticketId, "a.txt", "text/plain", "a".getBytes(StandardCharsets.UTF_8), false));
        assertThat(glpi.tokenRequests("password")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(10));
        target.deliver(newTicket(2, "alice@example.org", false));
        target.deliver(newTicket(3, "alice@example.org", false));

        assertThat(glpi.tokenRequests("password")).isEqualTo(1);
        assertThat(glpi.tokenRequests("refresh_token")).isEqualTo(1);
        assertThat(glpi.tickets()).hasSize(3);
    }

    @Test
    void withoutARefreshTokenAnExpiredTokenIsRenewedWithThePasswordGrant() throws Exception {
        glpi.tokenLifetime(Duration.ofMinutes(10)).refreshTokens(false);
        GlpiHlTarget target = target();
        target.deliver(newTicket(1, "alice@example.org", false));
        clock.advance(Duration.ofMinutes(9).plusSeconds(30)); // inside the renewal margin

        target.deliver(newTicket(2, "alice@example.org", false));

        assertThat(glpi.tokenRequests("password")).isEqualTo(2);
        assertThat(glpi.requests()).noneMatch(r -> r.status() == 401);
    }

    @Test
    void aRefusedRefreshTokenFallsBackToThePasswordGrant() throws Exception {
        glpi.tokenLifetime(Duration.ofMinutes(10));
        GlpiHlTarget target = target();
        target.deliver(newTicket(1, "alice@example.org", false));
        glpi.revokeRefreshTokens();
        clock.advance(Duration.ofMinutes(10));

        target.deliver(newTicket(2, "alice@example.org", false));

        assertThat(glpi.tokenRequests("refresh_token")).isEqualTo(1);
        assertThat(glpi.tokenRequests("password")).isEqualTo(2);
        assertThat(glpi.tickets()).hasSize(2);
    }

    @Test
    void a401SignsInAgainOnceAndTheItemGoesThrough() throws Exception {
        GlpiHlTarget target = target();
        target.deliver(newTicket(1, "alice@example.org", false));
        glpi.revokeAccessTokens();

        target.deliver(newTicket(2, "alice@example.org", false));

        assertThat(glpi.tickets()).hasSize(2);
        assertThat(glpi.tokenRequests("password") + glpi.tokenRequests("refresh_token")).isEqualTo(2);
        assertThat(glpi.requests()).filteredOn(r -> r.is("POST", "/Assistance/Ticket") && !r.path().contains("Team"))
                .hasSize(3); // the refused one, then one per ticket
    }

    @Test
    void aWrongPasswordIsUnauthorized_SayingWhatToCheck_WithoutThePassword() {
        String wrong = "Wr0ng-Pa55word-" + UUID.randomUUID();
        DeliveryFailure failure = catchThrowableOfType(DeliveryFailure.class,
                () -> target(Duration.ofSeconds(5), wrong, CLIENT_SECRET).deliver(newTicket(1, "alice@example.org", false)));

        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("helpdesk").contains("invalid_grant").contains("username and password")
                .doesNotContain(wrong).doesNotContain(CLIENT_SECRET);
        assertThat(glpi.tickets()).isEmpty();
    }

    @Test
    void aWrongClientSecretIsUnauthorized_NamingTheClient() {
        DeliveryFailure failure = catchThrowableOfType(DeliveryFailure.class,
                () -> target(Duration.ofSeconds(5), PASSWORD, "not-the-secret").deliver(newTicket(1, "a@b.example", false)));

        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("invalid_client").contains("client-secret")
                .doesNotContain("not-the-secret").doesNotContain(PASSWORD);
    }

    @Test
    void serverErrorsAreRetried_AndNothingIsCreatedTwice() throws Exception {
        GlpiHlTarget target = target();
        glpi.failNext(1, 500); // the token request
        assertThatThrownBy(() -> target.deliver(newTicket(1, "alice@example.org", false)))
                .isInstanceOfSatisfying(DeliveryFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(DeliveryFailure.Kind.RETRY));
        target.deliver(newTicket(1, "alice@example.org", false));
        glpi.failNext(1, 503); // the user lookup is cached: this is the ticket's POST

        assertThatThrownBy(() -> target.deliver(newTicket(2, "alice@example.org", false)))
                .isInstanceOfSatisfying(DeliveryFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(DeliveryFailure.Kind.RETRY);
                    assertThat(f.getMessage()).contains("503");
                });
        assertThat(glpi.tickets()).hasSize(1);
    }

    @Test
    void aThrottledRequestIsRetriedAfterTheWaitGlpiAsksFor() throws Exception {
        GlpiHlTarget target = target();
        target.deliver(newTicket(1, "alice@example.org", false));
        glpi.throttleNext(1, Duration.ofSeconds(30));

        DeliveryFailure failure = catchThrowableOfType(DeliveryFailure.class,
                () -> target.deliver(newTicket(2, "alice@example.org", false)));

        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.RETRY);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(glpi.tickets()).hasSize(1);
    }

    @Test
    void aSenderAddressWithRsqlSpecialCharactersIsStillMatched() throws Exception {
        long obrien = glpi.user("obrien", null, "o'brien+it@example.org");

        target().deliver(newTicket(1, "O'Brien+IT@example.org", false));

        long id = glpi.tickets().get(0).id();
        assertThat(glpi.team(id)).containsExactly(new FakeGlpiHl.TeamMember(id, obrien, 1));
        assertThat(glpi.requests()).anyMatch(r -> r.is("GET", "/Administration/User")
                && r.query().contains("emails.email==o\\'brien+it@example.org"));
    }

    @Test
    void glpiDownOrRefusingConnectionsIsRetried_AndDeliveryResumesWhenItIsBack() throws Exception {
        GlpiHlTarget target = target();
        glpi.unavailable(true);
        assertThat(kindOf(() -> target.deliver(newTicket(1, "alice@example.org", false))))
                .isEqualTo(DeliveryFailure.Kind.RETRY);
        glpi.unavailable(false);
        glpi.stop();
        DeliveryFailure refused = catchThrowableOfType(DeliveryFailure.class,
                () -> target.deliver(newTicket(1, "alice@example.org", false)));
        assertThat(refused.kind()).isEqualTo(DeliveryFailure.Kind.RETRY);
        // Refused on a new connection, or lost on one the client had kept open from the 503 before: both are retried.
        assertThat(refused.getMessage()).containsAnyOf("cannot connect", "was lost");

        glpi.restart();
        target.deliver(newTicket(1, "alice@example.org", false));
        assertThat(glpi.tickets()).hasSize(1);
    }

    @Test
    void aTicketAnsweredTooLateIsUncertain_AndTheNextAttemptFindsItInsteadOfCreatingASecond() throws Exception {
        GlpiHlTarget target = target(Duration.ofSeconds(3), PASSWORD, CLIENT_SECRET);
        target.deliver(newTicket(1, "someone@else.example", false)); // signs in before the slow part
        Delivery.NewTicket slow = newTicket(2, "alice@example.org", false);
        glpi.answerLateAfterCommit(1, Duration.ofSeconds(6));

        assertThat(kindOf(() -> target.deliver(slow))).isEqualTo(DeliveryFailure.Kind.UNCERTAIN);
        assertThat(glpi.tickets()).hasSize(2);

        Delivered again = target.deliver(new Delivery.NewTicket(slow.deliveryId(), true, slow.ticket()));

        assertThat(glpi.tickets()).hasSize(2);
        long id = glpi.tickets().get(1).id();
        assertThat(again.remoteId()).isEqualTo(String.valueOf(id));
        // the requester, never set by the attempt that timed out, is set by the one that found the ticket
        assertThat(glpi.team(id)).containsExactly(new FakeGlpiHl.TeamMember(id, alice, 1));
    }

    @Test
    void aFollowupAndADocumentAnsweredTooLateAreFoundByTheNextAttempt() throws Exception {
        GlpiHlTarget target = target(Duration.ofSeconds(3), PASSWORD, CLIENT_SECRET);
        String ticketId = target.deliver(newTicket(1, "alice@example.org", false)).remoteId();
        long remote = Long.parseLong(ticketId);
        Delivery.NewFollowup followup = newFollowup(ticket(1, "alice@example.org"), ticketId, false);
        Delivery.NewAttachment attachment = newAttachment(ticketId, "log.txt", "text/plain", "lines".getBytes(StandardCharsets.UTF_8), false);

        glpi.answerLateAfterCommit(1, Duration.ofSeconds(6));
        assertThat(kindOf(() -> target.deliver(followup))).isEqualTo(DeliveryFailure.Kind.UNCERTAIN);
        Delivered followupAgain = target.deliver(new Delivery.NewFollowup(followup.deliveryId(), true,
                followup.ticket(), followup.followup(), ticketId));

        glpi.answerLateAfterCommit(1, Duration.ofSeconds(6)); // the upload; its link never happens
        assertThat(kindOf(() -> target.deliver(attachment))).isEqualTo(DeliveryFailure.Kind.UNCERTAIN);
        assertThat(glpi.documentLinks(remote)).isEmpty();
        Delivered documentAgain = target.deliver(new Delivery.NewAttachment(attachment.deliveryId(), true,
                attachment.ticket(), attachment.attachment(), attachment.content(), ticketId, Optional.empty()));

        assertThat(glpi.followups(remote)).hasSize(1);
        assertThat(followupAgain.remoteId()).isEqualTo(String.valueOf(glpi.followups(remote).get(0).id()));
        assertThat(glpi.documents()).hasSize(1);
        assertThat(documentAgain.remoteId()).isEqualTo(String.valueOf(glpi.documents().get(0).id()));
        assertThat(glpi.documentLinks(remote)).hasSize(1);
    }

    @Test
    void aRefusedFieldIsRejectedWithGlpisReason() {
        glpi.refuseField("category", "Invalid parameter: category. ITIL category 7 is not visible in entity 3");

        DeliveryFailure failure = catchThrowableOfType(DeliveryFailure.class,
                () -> target().deliver(newTicket(1, "alice@example.org", false)));

        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.REJECTED);
        assertThat(failure.getMessage()).contains("422").contains("ITIL category 7 is not visible in entity 3");
        assertThat(glpi.tickets()).isEmpty();
    }

    @Test
    void aFollowupForATicketGlpiNoLongerHasIsRejected() {
        DeliveryFailure failure = catchThrowableOfType(DeliveryFailure.class,
                () -> target().deliver(newFollowup(ticket(1, "alice@example.org"), "999999", false)));

        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.REJECTED);
        assertThat(failure.getMessage()).contains("404").contains("Item not found");
    }

    @Test
    void noSecretOrTokenReachesALogLineOrAMessage() throws Exception {
        glpi.tokenLifetime(Duration.ofMinutes(10));
        StringBuilder messages = new StringBuilder();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            GlpiHlTarget target = target();
            String ticketId = target.deliver(newTicket(1, "alice@example.org", false)).remoteId();
            clock.advance(Duration.ofMinutes(10));
            target.deliver(newFollowup(ticket(1, "alice@example.org"), ticketId, false));
            glpi.revokeAccessTokens();
            target.deliver(newAttachment(ticketId, "a.txt", "text/plain", "a".getBytes(StandardCharsets.UTF_8), false));
            for (String password : List.of("Wrong-" + PASSWORD, PASSWORD)) {
                try {
                    target(Duration.ofSeconds(5), password, "Wrong-" + CLIENT_SECRET)
                            .deliver(newTicket(2, "alice@example.org", false));
                } catch (DeliveryFailure e) {
                    messages.append(e.getMessage()).append('\n');
                }
            }
            glpi.failNext(1, 500);
            try {
                target.deliver(newTicket(3, "alice@example.org", false));
            } catch (DeliveryFailure e) {
                messages.append(e.getMessage()).append('\n');
            }
            assertThat(logs.text()).contains("access token obtained");
            for (String text : List.of(logs.text(), messages.toString())) {
                assertThat(text).doesNotContain(PASSWORD).doesNotContain(CLIENT_SECRET)
                        .doesNotContain("glpi-at-").doesNotContain("glpi-rt-");
            }
        }
    }

    @Test
    void itTakesTicketsFollowupsAndAttachmentsOnly() {
        GlpiHlTarget target = target();
        assertThat(target.name()).isEqualTo("helpdesk");
        assertThat(List.of(ItemKind.values())).filteredOn(target::accepts)
                .containsExactly(ItemKind.TICKET, ItemKind.FOLLOWUP, ItemKind.ATTACHMENT);
    }

    // ---- helpers ----

    private GlpiHlTarget target() {
        return target(Duration.ofSeconds(5), PASSWORD, CLIENT_SECRET);
    }

    private GlpiHlTarget target(Duration timeout, String password, String clientSecret) {
        return new GlpiHlTarget(new GlpiTargetConfig("helpdesk", glpi.url(), "intake", Secret.of(clientSecret),
                "intake-bot", Secret.of(password), "api", FIELDS, timeout), http, clock);
    }

    private static DeliveryFailure.Kind kindOf(ThrowingCall call) {
        try {
            call.run();
        } catch (DeliveryFailure e) {
            return e.kind();
        }
        throw new AssertionError("the delivery succeeded");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws DeliveryFailure;
    }

    private static Ticket ticket(long number, String from) {
        return new Ticket(number, "support", "Printer on fire",
                Optional.of(new Person(from, Optional.of(from.startsWith("alice") ? "Alice Example" : "Sender Name"))),
                List.of(), DATE, "It is on fire.\n\nPlease help.", Optional.empty(), Optional.empty(), List.of(), DATE,
                List.of(), List.of(), TicketStatus.NEW, Optional.empty(), List.of());
    }

    private static Delivery.NewTicket newTicket(long number, String from, boolean maybeSentBefore) {
        return new Delivery.NewTicket(UUID.randomUUID().toString(), maybeSentBefore, ticket(number, from));
    }

    private static Delivery.NewFollowup newFollowup(Ticket ticket, String remoteTicketId, boolean maybeSentBefore) {
        Ticket.Followup followup = new Ticket.Followup(11, ticket.requester(), List.of(), DATE, "Still burning.",
                Optional.empty(), Optional.empty(), List.of(), DATE, List.of());
        return new Delivery.NewFollowup(UUID.randomUUID().toString(), maybeSentBefore, ticket, followup, remoteTicketId);
    }

    private static Delivery.NewAttachment newAttachment(String remoteTicketId, String name, String type, byte[] bytes,
            boolean maybeSentBefore) {
        Ticket ticket = ticket(1, "alice@example.org");
        Ticket.AttachmentInfo info = new Ticket.AttachmentInfo(21, Optional.empty(), name, type, bytes.length, "sha",
                Optional.empty(), false);
        return new Delivery.NewAttachment(UUID.randomUUID().toString(), maybeSentBefore, ticket, info,
                () -> new ByteArrayInputStream(bytes), remoteTicketId, Optional.empty());
    }
}
