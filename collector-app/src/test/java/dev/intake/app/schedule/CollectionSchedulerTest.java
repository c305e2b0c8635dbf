package dev.intake.app.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.DatabaseKind;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.config.OperationsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule under load, with Quartz's JDBC store on a real H2 file: more polls asked for than the threads can make
 * must still reach every mailbox, and a trigger that ran late does not spend threads on polls its mailbox just had.
 */
class CollectionSchedulerTest {

    StoreTestBed bed = StoreTestBed.open(DatabaseKind.H2);
    CollectionScheduler scheduler;
    final Map<String, List<Long>> starts = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        bed.close();
    }

    void start(int threads, MailboxRunner runner, Map<String, Duration> mailboxes) {
        OperationsConfig operations = new OperationsConfig(Duration.ofHours(1), threads, Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofDays(7), Duration.ofDays(30));
        scheduler = new CollectionScheduler(bed.database(), operations, NodeIdentity.ofThisProcess(), runner);
        scheduler.sync(mailboxes);
        scheduler.start();
    }

    MailboxRunner recordingRunner(long runMillis) {
        return (mailboxId, forced, stop) -> {
            starts.computeIfAbsent(mailboxId, id -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
            sleep(runMillis);
        };
    }

    @Test
    void whenThreadsCannotKeepUpEveryMailboxStillGetsItsTurn() {
        // One thread, eight mailboxes due every second, each run 400 ms: twice as many polls asked for as can be made,
        // and each mailbox falls further behind than the old five-second misfire threshold.
        Map<String, Duration> mailboxes = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            mailboxes.put("m" + i, Duration.ofSeconds(1));
        }
        start(1, recordingRunner(400), mailboxes);

        sleep(16_000);

        for (String mailbox : mailboxes.keySet()) {
            assertThat(starts.getOrDefault(mailbox, List.of())).as("runs of %s in 16 s", mailbox).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aTriggerThatRanLateDoesNotPollItsMailboxAgainAtOnce() {
        // The first run takes 3.5 intervals: the trigger then owes three slots, which Quartz fires back to back.
        long[] runs = {0};
        start(2, (mailboxId, forced, stop) -> {
            starts.computeIfAbsent(mailboxId, id -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
            sleep(runs[0]++ == 0 ? 3_500 : 50);
        }, Map.of("slow", Duration.ofSeconds(1)));

        sleep(7_000);

        List<Long> times = new ArrayList<>(starts.get("slow"));
        assertThat(times).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < times.size(); i++) {
            assertThat(Duration.ofNanos(times.get(i) - times.get(i - 1)))
                    .as("gap before run %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
