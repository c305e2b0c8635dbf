package dev.intake.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.events.EventStore;
import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.app.ticket.TicketStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two nodes sending the same target's outbox at the same moment (as happens when Quartz takes a node for dead while
 * it still runs): every item goes exactly once, and each ticket's items in their order. The scheduler's
 * one-run-per-target is the first guard; the store's conditional claim is this second one.
 */
class TwoNodesTest {

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
    void twoNodesNeverSendOneItemTwice() throws Exception {
        for (int i = 0; i < 60; i++) {
            long t = o.ticket("ticket " + i, "a" + i + ".txt");
            o.followup(t, "Re: ticket " + i);
        }
        // The second node: its own stores and worker on the same database, the same (shared) remote helpdesk.
        DeliveryWorker other = new DeliveryWorker(o.config::get, o.targets, new OutboxStore(o.bed.jdbi(), o.bed.clock()),
                new TicketStore(o.bed.jdbi(), o.bed.clock()), new TicketStore(o.bed.jdbi(), o.bed.clock()),
                new EventStore(o.bed.jdbi(), o.bed.clock()), DeliveryObserver.NONE, o.bed.clock());
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            List<Callable<Integer>> runs = List.of(() -> loop(o.worker, stop), () -> loop(other, stop));
            List<Future<Integer>> done = new ArrayList<>();
            for (Callable<Integer> run : runs) {
                done.add(nodes.submit(run));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (o.items("helpdesk").stream().anyMatch(i -> i.state() != ItemState.DELIVERED)
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            stop.set(true);
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).as("delivered by both nodes together").isEqualTo(180);
        } finally {
            stop.set(true);
            nodes.shutdownNow();
        }

        RecordingTarget glpi = o.target("helpdesk");
        assertThat(o.items("helpdesk")).hasSize(180).extracting(OutboxItem::state).containsOnly(ItemState.DELIVERED);
        assertThat(glpi.deliveries()).as("every item sent once").hasSize(180)
                .extracting(Delivery::deliveryId).doesNotHaveDuplicates();
        Map<Long, List<ItemKind>> perTicket = new HashMap<>();
        for (Delivery d : glpi.deliveries()) {
            long ticket = d instanceof Delivery.NewTicket n ? n.ticket().number()
                    : d instanceof Delivery.NewFollowup f ? f.ticket().number() : ((Delivery.NewAttachment) d).ticket().number();
            perTicket.computeIfAbsent(ticket, k -> new ArrayList<>()).add(d.kind());
        }
        assertThat(perTicket).hasSize(60).allSatisfy((ticket, kinds) -> assertThat(kinds).as("order of ticket %s", ticket)
                .containsExactly(ItemKind.TICKET, ItemKind.ATTACHMENT, ItemKind.FOLLOWUP));
    }

    private static int loop(DeliveryWorker worker, AtomicBoolean stop) throws InterruptedException {
        int delivered = 0;
        while (!stop.get()) {
            delivered += worker.run("helpdesk", stop::get).delivered();
            Thread.sleep(Duration.ofMillis(5).toMillis());
        }
        return delivered;
    }
}
