package dev.intake.app.idle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/**
 * The IDLE lease on H2 and on PostgreSQL: one node holds a mailbox's lease while it renews it; another takes it only
 * once it has lapsed (its node died), or at once when it was given up (a clean stop).
 */
class IdleLeaseStoreTest {

    static final Duration TTL = Duration.ofSeconds(15);

    StoreTestBed bed;
    IdleLeaseStore leases;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        this.leases = new IdleLeaseStore(bed.jdbi(), bed.clock());
    }

    @OnEachDatabase
    void aHeldLeaseIsRenewedByItsNodeAndRefusedToAnotherUntilItLapses() {
        assertThat(leases.tryAcquire("support", "node-a", TTL)).isTrue();
        assertThat(leases.tryAcquire("support", "node-b", TTL)).as("held by a").isFalse();

        bed.clock().advance(Duration.ofSeconds(10));
        assertThat(leases.renew("node-a", List.of("support"), TTL)).containsExactly("support");
        bed.clock().advance(Duration.ofSeconds(10));
        assertThat(leases.tryAcquire("support", "node-b", TTL)).as("renewed by a 10 s ago").isFalse();

        bed.clock().advance(Duration.ofSeconds(6)); // a stopped renewing: 16 s since
        assertThat(leases.tryAcquire("support", "node-b", TTL)).as("lapsed: b takes over").isTrue();
        assertThat(leases.renew("node-a", List.of("support"), TTL)).as("a learns it lost the lease").isEmpty();
        assertThat(leases.all().get("support").node()).isEqualTo("node-b");
    }

    @OnEachDatabase
    void aLeaseGivenUpIsFreeAtOnceAndTheStateIsRecordedOnlyByItsHolder() {
        assertThat(leases.tryAcquire("support", "node-a", TTL)).isTrue();
        leases.record("support", "node-a", IdleState.IDLING, Optional.empty());
        leases.record("support", "node-b", IdleState.FALLBACK, Optional.of("not b's to record"));
        IdleLease held = leases.all().get("support");
        bed.clock().advance(Duration.ofMinutes(58));
        leases.record("support", "node-a", IdleState.IDLING, Optional.empty()); // renewed before the token expired
        assertThat(leases.all().get("support").since()).as("still idling since the first connection")
                .isEqualTo(held.since());
        assertThat(held.state()).isEqualTo(IdleState.IDLING);
        assertThat(held.detail()).isEmpty();
        assertThat(leases.renew("node-a", List.of("support"), TTL)).containsExactly("support");
        assertThat(leases.all().get("support").lapsed(bed.clock().instant())).isFalse();

        leases.release("support", "node-a");
        assertThat(leases.all()).isEmpty();
        assertThat(leases.tryAcquire("support", "node-b", TTL)).isTrue();
        leases.record("support", "node-b", IdleState.FALLBACK, Optional.of("The IMAP server does not offer IDLE"));
        assertThat(leases.all().get("support").detail()).contains("The IMAP server does not offer IDLE");
    }

    @OnEachDatabase
    void mailboxesHaveLeasesOfTheirOwn() {
        assertThat(leases.tryAcquire("support", "node-a", TTL)).isTrue();
        assertThat(leases.tryAcquire("sales", "node-b", TTL)).isTrue();

        assertThat(leases.renew("node-a", List.of("support", "sales"), TTL)).containsExactly("support");
        assertThat(leases.all()).containsOnlyKeys("support", "sales");
    }
}
