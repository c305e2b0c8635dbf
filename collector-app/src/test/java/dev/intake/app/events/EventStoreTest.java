package dev.intake.app.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/**
 * The event record on H2 and on PostgreSQL: events kept only with their transaction, read in commit order from a
 * cursor that neither skips an event committing late with a lower id nor repeats one.
 */
class EventStoreTest {

    EventStore events;
    EventStore otherNode;
    StoreTestBed bed;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        events = new EventStore(bed.jdbi(), bed.clock());
        otherNode = new EventStore(bed.jdbi(), bed.clock());
    }

    @OnEachDatabase
    void aTransactionThatCommitsLateWithALowerIdIsReadAfterTheCursorNotSkipped() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // A long collection batch writes its event first (the lower id) and commits last.
            Future<?> slow = pool.submit(() -> bed.transactions().inTransaction(tx -> {
                events.append(tx, EventType.TICKET_CREATED, "support", 1L, null, null);
                written.countDown();
                commit.await(30, TimeUnit.SECONDS);
                return null;
            }));
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
            bed.transactions().inTransaction(tx -> {
                events.append(tx, EventType.TICKET_CREATED, "sales", 2L, null, null);
                return null;
            });

            List<IntegrationEvent> first = otherNode.after(0, 10);
            assertThat(first).extracting(e -> e.ticket().orElseThrow()).containsExactly(2L);
            long cursor = first.get(0).position();

            commit.countDown();
            slow.get(30, TimeUnit.SECONDS);
            List<IntegrationEvent> next = events.after(cursor, 10);
            assertThat(next).extracting(e -> e.ticket().orElseThrow()).as("the late commit comes after the cursor")
                    .containsExactly(1L);
            assertThat(next.get(0).position()).isGreaterThan(cursor);
            assertThat(events.after(next.get(0).position(), 10)).as("and only once").isEmpty();
            assertThat(otherNode.after(0, 10)).extracting(e -> e.ticket().orElseThrow()).containsExactly(2L, 1L);
        } finally {
            commit.countDown();
            pool.shutdownNow();
        }
    }

    @OnEachDatabase
    void anEventIsKeptOnlyWithItsTransaction() {
        assertThatThrownBy(() -> bed.transactions().inTransaction(tx -> {
            events.append(tx, EventType.TICKET_CREATED, "support", 7L, null, null);
            throw new IllegalStateException("the ticket could not be stored");
        })).isInstanceOf(IllegalStateException.class);
        events.append(EventType.MAILBOX_STATE_CHANGED, "support", "paused");

        List<IntegrationEvent> all = events.after(0, 10);
        assertThat(all).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.MAILBOX_STATE_CHANGED);
            assertThat(e.mailboxId()).contains("support");
            assertThat(e.detail()).contains("paused");
            assertThat(e.ticket()).isEmpty();
            assertThat(e.occurredAt()).isEqualTo(StoreTestBed.START);
        });
    }

    @OnEachDatabase
    void pagesFollowOneAnotherWithoutGapsOrRepeats() {
        for (long i = 1; i <= 25; i++) {
            long ticket = i;
            bed.transactions().inTransaction(tx -> {
                events.append(tx, EventType.FOLLOWUP_ADDED, "support", ticket, 100 + ticket, null);
                return null;
            });
        }
        long cursor = 0;
        List<Long> seen = new java.util.ArrayList<>();
        for (int page = 0; page < 10; page++) {
            List<IntegrationEvent> got = (page % 2 == 0 ? events : otherNode).after(cursor, 7);
            if (got.isEmpty()) {
                break;
            }
            got.forEach(e -> seen.add(e.ticket().orElseThrow()));
            cursor = got.get(got.size() - 1).position();
        }
        assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 25).boxed().toList());
    }
}
