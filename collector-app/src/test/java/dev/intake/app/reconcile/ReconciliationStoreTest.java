package dev.intake.app.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/** The last check of each mailbox and what it found, on H2 and on PostgreSQL. */
class ReconciliationStoreTest {

    static final Instant SINCE = StoreTestBed.START.minus(Duration.ofDays(7));

    ReconciliationStore store;

    @BeforeEach
    void open(StoreTestBed bed) {
        store = new ReconciliationStore(bed.jdbi());
    }

    @OnEachDatabase
    void aCheckIsKeptWithItsFindingsInFolderAndUidOrder() {
        store.save(check("support", StoreTestBed.START, 40,
                unrecorded("support", "Intake/Refused", 3), unrecorded("support", "Intake/Accepted", 9),
                unrecorded("support", "Intake/Accepted", 2)));
        store.save(check("sales", StoreTestBed.START, 5));

        Reconciliation last = store.last("support").orElseThrow();
        assertThat(last.checkedAt()).isEqualTo(StoreTestBed.START);
        assertThat(last.since()).isEqualTo(SINCE);
        assertThat(last.checked()).isEqualTo(40);
        assertThat(last.error()).isEmpty();
        assertThat(last.unrecorded()).extracting(UnrecordedMessage::folder, UnrecordedMessage::uid).containsExactly(
                tuple("Intake/Accepted", 2L),
                tuple("Intake/Accepted", 9L),
                tuple("Intake/Refused", 3L));
        assertThat(last.unrecorded().get(0)).isEqualTo(unrecorded("support", "Intake/Accepted", 2));
        assertThat(store.unrecordedCounts()).containsOnly(Map.entry("support", 3));
        assertThat(store.last("sales").orElseThrow().unrecorded()).isEmpty();
        assertThat(store.last("nobody")).isEmpty();
    }

    @OnEachDatabase
    void aNewCheckReplacesTheFindingsOfTheLast() {
        store.save(check("support", StoreTestBed.START, 40, unrecorded("support", "Intake/Accepted", 2)));
        store.save(check("support", StoreTestBed.START.plus(Duration.ofDays(1)), 41, unrecorded("support", "Intake/Accepted", 7)));

        Reconciliation last = store.last("support").orElseThrow();
        assertThat(last.checked()).isEqualTo(41);
        assertThat(last.unrecorded()).extracting(UnrecordedMessage::uid).containsExactly(7L);
    }

    @OnEachDatabase
    void anUnfinishedCheckSaysWhyAndKeepsTheEarlierFindings() {
        store.save(check("support", StoreTestBed.START, 40, unrecorded("support", "Intake/Accepted", 2)));
        store.save(new Reconciliation("support", StoreTestBed.START.plus(Duration.ofDays(1)), SINCE, 0, List.of(),
                Optional.of("IMAP server unreachable")));

        Reconciliation last = store.last("support").orElseThrow();
        assertThat(last.error()).contains("IMAP server unreachable");
        assertThat(last.checkedAt()).isEqualTo(StoreTestBed.START.plus(Duration.ofDays(1)));
        assertThat(last.unrecorded()).extracting(UnrecordedMessage::uid).containsExactly(2L);
        assertThat(store.unrecordedCounts()).containsOnly(Map.entry("support", 1));
    }

    @OnEachDatabase
    void messagesBackInTheCollectedFolderAreForgottenInTheirOldOneOnly() {
        store.save(check("support", StoreTestBed.START, 40, unrecorded("support", "Intake/Accepted", 2),
                unrecorded("support", "Intake/Accepted", 3), unrecorded("support", "Intake/Refused", 2)));

        store.forget("support", "Intake/Accepted", List.of(2L, 3L, 99L));
        store.forget("support", "Intake/Refused", List.of());

        assertThat(store.unrecorded("support")).extracting(UnrecordedMessage::folder, UnrecordedMessage::uid)
                .containsExactly(tuple("Intake/Refused", 2L));
        assertThat(store.unrecordedCounts()).containsOnly(Map.entry("support", 1));
    }

    @OnEachDatabase
    void longHeaderValuesAreCutToTheirColumns() {
        UnrecordedMessage noisy = new UnrecordedMessage("support", "Intake/Accepted", 5, 1,
                Optional.of("<" + "m".repeat(1200) + "@example.org>"), "s".repeat(2500), "f".repeat(400) + "@example.org",
                Optional.empty(), 123);
        store.save(check("support", StoreTestBed.START, 1, noisy));

        UnrecordedMessage stored = store.unrecorded("support").get(0);
        assertThat(stored.messageId().orElseThrow()).hasSize(998);
        assertThat(stored.subject()).hasSize(2000);
        assertThat(stored.sender()).hasSize(320);
        assertThat(stored.receivedAt()).isEmpty();
        assertThat(stored.size()).isEqualTo(123);
    }

    private static Reconciliation check(String mailbox, Instant at, int checked, UnrecordedMessage... found) {
        return new Reconciliation(mailbox, at, SINCE, checked, List.of(found), Optional.empty());
    }

    private static UnrecordedMessage unrecorded(String mailbox, String folder, long uid) {
        return new UnrecordedMessage(mailbox, folder, 5, uid, Optional.of("<" + folder.hashCode() + "." + uid + "@example.org>"),
                "Subject " + uid, "alice@example.org", Optional.of(SINCE.plus(Duration.ofHours(uid))), 1000 + uid);
    }
}
