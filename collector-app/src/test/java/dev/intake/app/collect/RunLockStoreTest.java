package dev.intake.app.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/** One run of a mailbox at a time, on H2 and on PostgreSQL: the lock excludes a second holder until it is released. */
class RunLockStoreTest {

    RunLockStore locks;
    RunLockStore otherNode;

    @BeforeEach
    void open(StoreTestBed bed) {
        locks = new RunLockStore(bed.jdbi());
        // another store on the same database, as another node or command has
        otherNode = new RunLockStore(bed.jdbi());
    }

    @OnEachDatabase
    void aHeldLockExcludesASecondHolderUntilItIsReleased() {
        Optional<RunLockStore.Held> first = locks.tryAcquire("support");
        assertThat(first).isPresent();

        assertThat(otherNode.tryAcquire("support")).as("held by the first run").isEmpty();
        assertThat(locks.tryAcquire("support")).as("not even the same store takes it twice").isEmpty();

        first.get().close();
        try (RunLockStore.Held again = otherNode.tryAcquire("support").orElseThrow()) {
            assertThat(again).isNotNull();
        }
    }

    @OnEachDatabase
    void mailboxesAreLockedOneByOne() {
        try (RunLockStore.Held support = locks.tryAcquire("support").orElseThrow();
                RunLockStore.Held sales = otherNode.tryAcquire("sales").orElseThrow()) {
            assertThat(support).isNotSameAs(sales);
            assertThat(otherNode.tryAcquire("support")).isEmpty();
            assertThat(locks.tryAcquire("sales")).isEmpty();
        }
    }

    @OnEachDatabase
    void acquireWaitsForTheRunInProgressAndGivesUpAfterItsWait() throws Exception {
        RunLockStore.Held running = locks.tryAcquire("support").orElseThrow();

        assertThatThrownBy(() -> otherNode.acquire("support", Duration.ofMillis(300)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mailbox 'support' is being collected by another run");

        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<RunLockStore.Held> waiting = thread.submit(() -> otherNode.acquire("support", Duration.ofSeconds(20)));
            Thread.sleep(500);
            assertThat(waiting.isDone()).as("still waiting while the run goes on").isFalse();
            running.close();
            try (RunLockStore.Held next = waiting.get(10, TimeUnit.SECONDS)) {
                assertThat(locks.tryAcquire("support")).isEmpty();
            }
        } finally {
            thread.shutdownNow();
        }
        try (RunLockStore.Held free = locks.tryAcquire("support").orElseThrow()) {
            assertThat(free).isNotNull();
        }
    }
}
