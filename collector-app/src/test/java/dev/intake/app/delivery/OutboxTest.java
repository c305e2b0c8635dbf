package dev.intake.app.delivery;

import static dev.intake.app.delivery.RecordingTarget.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.events.EventType;
import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.app.support.database.TestTickets;
import dev.intake.app.ticket.TicketUpdates;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The outbox on H2 and on PostgreSQL, with the SPI's fake ({@link RecordingTarget}): items written with their
 * ticket or not at all, sent in order per ticket, retried with backoff, dead-lettered, resent as perhaps sent after a
 * crash, and an admin's Retry and Skip.
 */
class OutboxTest {

    OutboxBed o;

    @BeforeEach
    void open(StoreTestBed bed) {
        o = new OutboxBed(bed);
    }

    @AfterEach
    void close() {
        o.targets.close();
    }

    @OnEachDatabase
    void aRolledBackTicketLeavesNoItem() {
        assertThatThrownBy(() -> o.bed.transactions().inTransaction(tx -> {
            long t = o.tickets.open(tx, "support", TestTickets.content("lost"));
            o.events.append(tx, EventType.TICKET_CREATED, "support", t, null, null);
            throw new IllegalStateException("the batch failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(o.outbox.list(Optional.empty(), Optional.empty(), 100)).isEmpty();
        assertThat(o.outbox.backlogs()).isEmpty();
    }

    @OnEachDatabase
    void eachTargetGetsTheItemsOfWhatItTakesAndTheMailboxDeliversTo() {
        long t = o.ticket("Printer on fire", "photo.jpg", "log.txt");
        long f = o.followup(t, "Re: Printer on fire", "more.png");
        o.ticketIn("sales", "Not delivered anywhere");
        o.events.append(EventType.MESSAGE_REFUSED, "support", "LOOP");

        assertThat(o.items("helpdesk")).extracting(OutboxItem::kind, OutboxItem::followup).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ItemKind.TICKET, Optional.empty()),
                org.assertj.core.groups.Tuple.tuple(ItemKind.ATTACHMENT, Optional.empty()),
                org.assertj.core.groups.Tuple.tuple(ItemKind.ATTACHMENT, Optional.empty()),
                org.assertj.core.groups.Tuple.tuple(ItemKind.FOLLOWUP, Optional.of(f)),
                org.assertj.core.groups.Tuple.tuple(ItemKind.ATTACHMENT, Optional.of(f)));
        assertThat(o.items("helpdesk")).allSatisfy(i -> {
            assertThat(i.notification()).isFalse();
            assertThat(i.state()).isEqualTo(ItemState.PENDING);
            assertThat(i.ticket()).contains(t);
        });
        assertThat(o.items("hook")).extracting(OutboxItem::kind).as("a webhook: one notification per event it takes")
                .containsExactly(ItemKind.TICKET, ItemKind.FOLLOWUP, ItemKind.MESSAGE_REFUSED);
        assertThat(o.items("hook")).allSatisfy(i -> assertThat(i.notification()).isTrue());
        assertThat(o.items("helpdesk")).extracting(OutboxItem::deliveryId).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(java.util.UUID.fromString(id).toString()).isEqualTo(id));
    }

    @OnEachDatabase
    void aFollowupOfATicketTheTargetNeverHadBringsTheTicketFirst() {
        o.configure(List.of(OutboxBed.webhook("hook", "secret-1")), Optional.empty(), 5);
        long t = o.ticket("Collected before GLPI was configured", "a.txt");
        long f1 = o.followup(t, "first reply");
        o.configure(List.of(OutboxBed.helpdesk("helpdesk"), OutboxBed.webhook("hook", "secret-1")), Optional.empty(), 5);
        long f2 = o.followup(t, "second reply");

        assertThat(o.items("helpdesk")).extracting(OutboxItem::kind, OutboxItem::followup).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ItemKind.TICKET, Optional.empty()),
                org.assertj.core.groups.Tuple.tuple(ItemKind.ATTACHMENT, Optional.empty()),
                org.assertj.core.groups.Tuple.tuple(ItemKind.FOLLOWUP, Optional.of(f1)),
                org.assertj.core.groups.Tuple.tuple(ItemKind.FOLLOWUP, Optional.of(f2)));
    }

    @OnEachDatabase
    void followupsAndAttachmentsGoToTheRemoteTicketAndFollowupOfTheirTicket() {
        long t = o.ticket("Screen flickers", "screen.png");
        long f = o.followup(t, "Re: Screen flickers", "video.txt");

        assertThat(o.run("helpdesk").delivered()).isEqualTo(4);

        RecordingTarget glpi = o.target("helpdesk");
        List<Delivery> sent = glpi.deliveries();
        assertThat(sent).extracting(Delivery::kind).containsExactly(ItemKind.TICKET, ItemKind.ATTACHMENT,
                ItemKind.FOLLOWUP, ItemKind.ATTACHMENT);
        String remoteTicket = glpi.created.get(sent.get(0).deliveryId());
        String remoteFollowup = glpi.created.get(sent.get(2).deliveryId());
        Delivery.NewAttachment first = (Delivery.NewAttachment) sent.get(1);
        assertThat(first.remoteTicketId()).isEqualTo(remoteTicket);
        assertThat(first.remoteFollowupId()).isEmpty();
        assertThat(first.attachment().fileName()).isEqualTo("screen.png");
        assertThat(glpi.received.get(1).content()).contains("content of screen.png");
        Delivery.NewFollowup followup = (Delivery.NewFollowup) sent.get(2);
        assertThat(followup.remoteTicketId()).isEqualTo(remoteTicket);
        assertThat(followup.followup().id()).isEqualTo(f);
        Delivery.NewAttachment second = (Delivery.NewAttachment) sent.get(3);
        assertThat(second.remoteTicketId()).isEqualTo(remoteTicket);
        assertThat(second.remoteFollowupId()).contains(remoteFollowup);
        assertThat(sent).allSatisfy(d -> assertThat(d.maybeSentBefore()).isFalse());

        assertThat(o.items("helpdesk")).allSatisfy(i -> {
            assertThat(i.state()).isEqualTo(ItemState.DELIVERED);
            assertThat(i.remoteId()).isPresent();
            assertThat(i.attempts()).isEqualTo(1);
        });
        assertThat(o.tickets.find(t).orElseThrow().export()).as("the ticket records where it went")
                .hasValueSatisfying(e -> {
                    assertThat(e.externalId()).isEqualTo(remoteTicket);
                    assertThat(e.url()).contains("https://helpdesk.example/helpdesk/" + remoteTicket);
                });
        assertThat(o.run("helpdesk").delivered()).as("nothing twice").isZero();
        assertThat(o.outcomes).containsOnly("helpdesk:delivered");
    }

    @OnEachDatabase
    void aDeadTicketHoldsBackItsOwnLaterItemsAndNoOtherTicket() {
        long a = o.ticket("A");
        o.followup(a, "Re: A");
        long b = o.ticket("B");
        o.followup(b, "Re: B");
        RecordingTarget glpi = o.target("helpdesk");
        glpi.failNext(d -> d instanceof Delivery.NewTicket n && n.ticket().number() == a,
                failure(DeliveryFailure.Kind.REJECTED, "GLPI refused the ticket: entity 7 does not exist; fix "
                        + "delivery.targets.helpdesk.fields.entity"));

        o.run("helpdesk");

        List<OutboxItem> items = o.items("helpdesk");
        assertThat(items).extracting(OutboxItem::ticket, OutboxItem::kind, OutboxItem::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Optional.of(a), ItemKind.TICKET, ItemState.DEAD),
                org.assertj.core.groups.Tuple.tuple(Optional.of(a), ItemKind.FOLLOWUP, ItemState.PENDING),
                org.assertj.core.groups.Tuple.tuple(Optional.of(b), ItemKind.TICKET, ItemState.DELIVERED),
                org.assertj.core.groups.Tuple.tuple(Optional.of(b), ItemKind.FOLLOWUP, ItemState.DELIVERED));
        assertThat(items.get(0).lastError()).contains("GLPI refused the ticket: entity 7 does not exist; fix "
                + "delivery.targets.helpdesk.fields.entity");
        assertThat(items.get(0).attempts()).as("REJECTED is dead at once").isEqualTo(1);
        assertThat(o.deliveries.items(Optional.of("helpdesk"), Optional.of(ItemState.DEAD), 10))
                .extracting(OutboxItem::id).containsExactly(items.get(0).id());

        // Retry: the ticket goes, and its followup after it.
        assertThat(o.deliveries.retry(items.get(0).id())).isTrue();
        assertThat(o.deliveries.retry(items.get(0).id())).as("only a dead item").isFalse();
        o.run("helpdesk");
        assertThat(o.items("helpdesk")).extracting(OutboxItem::state).containsOnly(ItemState.DELIVERED);
        assertThat(glpi.deliveries()).extracting(d -> d.kind() + " " + ticketOf(d)).containsExactly(
                "TICKET " + a, "TICKET " + b, "FOLLOWUP " + b, "TICKET " + a, "FOLLOWUP " + a);
    }

    private static long ticketOf(Delivery d) {
        if (d instanceof Delivery.NewTicket t) {
            return t.ticket().number();
        }
        if (d instanceof Delivery.NewFollowup f) {
            return f.ticket().number();
        }
        return ((Delivery.NewAttachment) d).ticket().number();
    }

    @OnEachDatabase
    void failuresBackOffExponentiallyAndGoToTheDeadLetterListAfterMaxAttempts() {
        long t = o.ticket("GLPI is down");
        RecordingTarget glpi = o.target("helpdesk");
        for (int i = 0; i < 5; i++) {
            glpi.failNext(failure(DeliveryFailure.Kind.RETRY, "GLPI answered 503 Service Unavailable; Intake tries again"));
        }
        List<Duration> waits = new java.util.ArrayList<>();
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(o.run("helpdesk").failed()).isEqualTo(1);
            OutboxItem item = o.items("helpdesk").get(0);
            assertThat(item.state()).isEqualTo(ItemState.PENDING);
            assertThat(item.attempts()).isEqualTo(attempt);
            waits.add(Duration.between(o.bed.clock().instant(), item.nextAttemptAt()));
            assertThat(o.run("helpdesk").failed()).as("not before its time").isZero();
            o.bed.clock().advance(Duration.between(o.bed.clock().instant(), item.nextAttemptAt()));
        }
        // first-retry 30 s doubling, at most 10 min, less up to a fifth of jitter
        assertThat(waits.get(0)).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(30));
        assertThat(waits.get(1)).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(60));
        assertThat(waits.get(2)).isBetween(Duration.ofSeconds(96), Duration.ofSeconds(120));
        assertThat(waits.get(3)).isBetween(Duration.ofSeconds(192), Duration.ofSeconds(240));

        o.run("helpdesk");
        OutboxItem dead = o.items("helpdesk").get(0);
        assertThat(dead.state()).isEqualTo(ItemState.DEAD);
        assertThat(dead.attempts()).isEqualTo(5);
        assertThat(dead.lastError()).contains("gave up after 5 attempts; last: GLPI answered 503 Service Unavailable; "
                + "Intake tries again");
        assertThat(o.deliveries.targets().get(0)).satisfies(s -> {
            assertThat(s.name()).isEqualTo("helpdesk");
            assertThat(s.status()).isEqualTo("failing");
            assertThat(s.problem()).contains("GLPI answered 503 Service Unavailable; Intake tries again");
            assertThat(s.backlog().dead()).isEqualTo(1);
            assertThat(s.backlog().waiting()).isZero();
        });
        assertThat(glpi.deliveries()).hasSize(5);
        assertThat(t).isPositive();
    }

    @OnEachDatabase
    void theCapAndRetryAfterBoundTheWait() {
        RetryDelays delays = new RetryDelays(java.util.random.RandomGenerator.of("L64X128MixRandom"));
        dev.intake.config.DeliveryConfig cfg = o.config.get().delivery();
        assertThat(delays.after(30, cfg, Optional.empty())).isBetween(Duration.ofMinutes(8), Duration.ofMinutes(10));
        assertThat(delays.after(1, cfg, Optional.of(Duration.ofMinutes(2)))).isEqualTo(Duration.ofMinutes(2));
        assertThat(delays.after(1, cfg, Optional.of(Duration.ofHours(5)))).isEqualTo(Duration.ofMinutes(10));
    }

    @OnEachDatabase
    void unauthorizedHoldsTheWholeTargetWithoutCountingTheItemsAttempts() {
        o.ticket("one");
        o.ticket("two");
        RecordingTarget glpi = o.target("helpdesk");
        glpi.failNext(failure(DeliveryFailure.Kind.UNAUTHORIZED, "GLPI refused the OAuth client's credentials "
                + "(invalid_client); check delivery.targets.helpdesk.client-secret"));

        o.run("helpdesk");

        assertThat(o.items("helpdesk")).allSatisfy(i -> {
            assertThat(i.state()).isEqualTo(ItemState.PENDING);
            assertThat(i.attempts()).isZero();
        });
        assertThat(glpi.deliveries()).as("the second item is not tried").hasSize(1);
        TargetSummary s = o.deliveries.targets().get(0);
        assertThat(s.status()).isEqualTo("unauthorized");
        assertThat(s.problem()).contains("GLPI refused the OAuth client's credentials (invalid_client); check "
                + "delivery.targets.helpdesk.client-secret");
        assertThat(s.blockedUntil()).isPresent();

        o.run("helpdesk");
        assertThat(glpi.deliveries()).as("on hold").hasSize(1);

        o.bed.clock().advance(Duration.ofSeconds(31));
        o.run("helpdesk");
        assertThat(o.items("helpdesk")).extracting(OutboxItem::state).containsOnly(ItemState.DELIVERED);
        assertThat(o.items("helpdesk")).extracting(OutboxItem::attempts).containsOnly(1);
        assertThat(o.deliveries.targets().get(0).status()).isEqualTo("ok");
    }

    @OnEachDatabase
    void whoeverSeesATicketDeliveredSeesWhereItWent() {
        long t = o.ticket("Printer on fire");
        List<ItemState> whenExported = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The ticket's record as the worker writes it, noting what a reader of the outbox sees at that moment.
        TicketUpdates watched = new TicketUpdates() {
            @Override
            public boolean setStatus(long number, dev.intake.app.ticket.TicketStatus status) {
                return o.tickets.setStatus(number, status);
            }

            @Override
            public Optional<Long> addInternalNote(long number, String author, String body) {
                return o.tickets.addInternalNote(number, author, body);
            }

            @Override
            public boolean markExported(long number, String externalId, Optional<String> url) {
                whenExported.add(o.items("helpdesk").get(0).state());
                return o.tickets.markExported(number, externalId, url);
            }
        };
        new DeliveryWorker(o.config::get, o.targets, o.outbox, o.tickets, watched, o.events, (target, outcome) -> { },
                o.bed.clock()).run("helpdesk", () -> false);

        assertThat(o.items("helpdesk").get(0).state()).isEqualTo(ItemState.DELIVERED);
        assertThat(whenExported).as("the export is recorded before the item reads as delivered")
                .containsExactly(ItemState.SENDING);
        assertThat(o.tickets.find(t).orElseThrow().export()).isPresent();
    }

    @OnEachDatabase
    void anItemLeftSendingByADeadNodeIsSentAgainAsPerhapsSent() {
        o.ticket("in flight when the node died");
        OutboxItem item = o.items("helpdesk").get(0);
        // The node marked it sending (committed), then died before the answer.
        assertThat(o.outbox.claim(item)).isTrue();

        o.run("helpdesk");
        assertThat(o.target("helpdesk").deliveries()).as("not while it may still be in flight").isEmpty();

        o.bed.clock().advance(OutboxBed.TIMEOUT.plus(DeliveryWorker.STALE_MARGIN));
        o.run("helpdesk");

        assertThat(o.target("helpdesk").deliveries()).singleElement()
                .satisfies(d -> assertThat(d.maybeSentBefore()).isTrue());
        OutboxItem after = o.items("helpdesk").get(0);
        assertThat(after.state()).isEqualTo(ItemState.DELIVERED);
        assertThat(after.attempts()).isEqualTo(2);
        assertThat(after.maybeSent()).isTrue();
    }

    @OnEachDatabase
    void anUncertainFailureIsRetriedAsPerhapsSentAndFindsTheItemInsteadOfCreatingItTwice() {
        o.ticket("timeout after the request went out");
        RecordingTarget glpi = o.target("helpdesk");
        glpi.failNext(failure(DeliveryFailure.Kind.UNCERTAIN, "no answer from GLPI within 20 s"));

        o.run("helpdesk");
        o.bed.clock().advance(Duration.ofSeconds(31));
        o.run("helpdesk");

        assertThat(glpi.deliveries()).extracting(Delivery::maybeSentBefore).containsExactly(false, true);
        assertThat(glpi.created).as("one remote ticket").hasSize(1);
        assertThat(o.items("helpdesk").get(0).remoteId()).contains(glpi.created.values().iterator().next());
    }

    @OnEachDatabase
    void skippingATicketSkipsItsItemsBehindItAndTheItemsWrittenLater() {
        long a = o.ticket("spam that got through", "x.bin");
        o.followup(a, "more spam");
        long b = o.ticket("real");
        o.target("helpdesk").failNext(d -> d instanceof Delivery.NewTicket n && n.ticket().number() == a,
                failure(DeliveryFailure.Kind.REJECTED, "GLPI refused: no right to create tickets in entity 0"));
        o.run("helpdesk");
        OutboxItem ticketItem = o.items("helpdesk").get(0);
        assertThat(ticketItem.state()).isEqualTo(ItemState.DEAD);

        assertThat(o.deliveries.skip(ticketItem.id(), new Deliveries.Actor("admin alice"))).isEqualTo(3);
        assertThat(o.deliveries.skip(ticketItem.id(), new Deliveries.Actor("admin alice"))).isZero();
        o.followup(a, "even more spam");
        o.run("helpdesk");

        List<OutboxItem> items = o.items("helpdesk");
        assertThat(items).filteredOn(i -> i.ticket().equals(Optional.of(a))).extracting(OutboxItem::state)
                .containsOnly(ItemState.SKIPPED).hasSize(4);
        assertThat(items.get(0).lastError()).contains("skipped by admin alice");
        assertThat(items.get(1).lastError()).contains("its ticket was skipped: skipped by admin alice");
        assertThat(items).filteredOn(i -> i.ticket().equals(Optional.of(b))).extracting(OutboxItem::state)
                .containsOnly(ItemState.DELIVERED);
        assertThat(o.outcomes).contains("helpdesk:skipped");
    }

    @OnEachDatabase
    void webhooksAreSentTheEventWithItsTicket() {
        long t = o.ticket("for the webhook");
        o.events.append(EventType.MESSAGE_REFUSED, "support", "LOOP");

        o.run("hook");

        List<Delivery> sent = o.target("hook").deliveries();
        assertThat(sent).hasSize(2).allSatisfy(d -> assertThat(d).isInstanceOf(Delivery.Notification.class));
        Delivery.Notification created = (Delivery.Notification) sent.get(0);
        assertThat(created.event().type()).isEqualTo(EventType.TICKET_CREATED);
        assertThat(created.event().position()).isPositive();
        assertThat(created.ticket()).hasValueSatisfying(x -> assertThat(x.number()).isEqualTo(t));
        Delivery.Notification refused = (Delivery.Notification) sent.get(1);
        assertThat(refused.kind()).isEqualTo(ItemKind.MESSAGE_REFUSED);
        assertThat(refused.event().detail()).contains("LOOP");
        assertThat(refused.ticket()).isEmpty();
        assertThat(o.tickets.find(t).orElseThrow().export()).as("a webhook is no helpdesk").isEmpty();
    }

    @OnEachDatabase
    void theBacklogWarnsOnlyOnceItsOldestItemIsOlderThanTheLimit() {
        o.ticket("waiting");
        o.run("hook");
        o.target("helpdesk").failNext(failure(DeliveryFailure.Kind.RETRY, "GLPI answered 502 Bad Gateway"));
        o.run("helpdesk");
        o.bed.clock().advance(Duration.ofMinutes(29));
        assertThat(o.deliveries.backlogWarnings()).isEmpty();

        o.bed.clock().advance(Duration.ofMinutes(2));
        assertThat(o.deliveries.backlogWarnings()).singleElement().asString()
                .contains("delivery target 'helpdesk'", "1 item(s) undelivered", "31 min",
                        "GLPI answered 502 Bad Gateway");

        dev.intake.app.metrics.IntakeMetrics metrics = new dev.intake.app.metrics.IntakeMetrics(List::of, List::of,
                o.deliveries::targets, o.bed.clock());
        metrics.attempted("helpdesk", "retry");
        String scrape = metrics.scrape();
        assertThat(scrape).contains("intake_delivery_backlog{target=\"helpdesk\"} 1.0",
                "intake_delivery_backlog{target=\"hook\"} 0.0",
                "intake_delivery_oldest_pending_seconds{target=\"helpdesk\"} 1860.0",
                "intake_deliveries_total{outcome=\"retry\",target=\"helpdesk\"} 1.0");
    }
}
