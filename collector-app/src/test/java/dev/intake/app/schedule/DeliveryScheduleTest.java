package dev.intake.app.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.DatabaseKind;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.config.OperationsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery on the collection scheduler (Quartz's JDBC store on an H2 file): one job per target, run every few
 * seconds and at once on demand, never two runs of a target at a time, and gone with its target.
 */
class DeliveryScheduleTest {

    StoreTestBed bed = StoreTestBed.open(DatabaseKind.H2);
    CollectionScheduler scheduler;
    final List<String> runs = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> running = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger overlaps = new AtomicInteger();

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        bed.close();
    }

    @Test
    void eachTargetHasAJobThatRunsAloneAndEndsWithItsTarget() throws Exception {
        OperationsConfig operations = new OperationsConfig(Duration.ofHours(1), 1, Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofDays(7), Duration.ofDays(30));
        scheduler = new CollectionScheduler(bed.database(), operations, NodeIdentity.ofThisProcess(),
                (mailbox, forced, stop) -> { }, (target, stop) -> {
                    AtomicInteger mine = running.computeIfAbsent(target, t -> new AtomicInteger());
                    if (mine.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    runs.add(target);
                    sleep(300);
                    mine.decrementAndGet();
                });
        scheduler.sync(Map.of());
        scheduler.syncDeliveries(Set.of("glpi", "hook"));
        scheduler.start();

        awaitRuns("glpi", 1);
        awaitRuns("hook", 1);
        int before = count("glpi");
        scheduler.deliverNow("glpi");
        scheduler.deliverNow("glpi");
        awaitRuns("glpi", before + 1);

        scheduler.syncDeliveries(Set.of("hook"));
        Thread.sleep(500);
        int glpiRuns = count("glpi");
        Thread.sleep(6_000);
        assertThat(count("glpi")).as("no runs after its target was removed").isEqualTo(glpiRuns);
        assertThat(count("hook")).as("every 5 s").isGreaterThanOrEqualTo(2);
        assertThat(overlaps).as("two runs of one target at once").hasValue(0);
    }

    private int count(String target) {
        return (int) runs.stream().filter(target::equals).count();
    }

    private void awaitRuns(String target, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (count(target) < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(count(target)).as("runs of %s", target).isGreaterThanOrEqualTo(n);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
