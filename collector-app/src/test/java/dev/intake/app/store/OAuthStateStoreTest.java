package dev.intake.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/** Authorization attempts in flight on H2 and on PostgreSQL: any node finishes one, each at most once. */
class OAuthStateStoreTest {

    static final URI CALLBACK = URI.create("https://intake.example.org/oauth/callback");

    StoreTestBed bed;
    OAuthStateStore states;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        states = new OAuthStateStore(bed.jdbi(), bed.box(), bed.clock());
    }

    @OnEachDatabase
    void anAttemptIsTakenOnceWithItsVerifier() {
        states.create("state-1", "support", "entra", Secret.of("verifier-1"), CALLBACK, Duration.ofMinutes(10));

        PendingAuthorization pending = states.consume("state-1").orElseThrow();
        assertThat(pending.mailboxId()).isEqualTo("support");
        assertThat(pending.provider()).isEqualTo("entra");
        assertThat(pending.codeVerifier().reveal()).isEqualTo("verifier-1");
        assertThat(pending.redirectUri()).isEqualTo(CALLBACK);
        assertThat(pending.expiresAt()).isEqualTo(StoreTestBed.START.plus(Duration.ofMinutes(10)));

        assertThat(states.consume("state-1")).as("a state is used once").isEmpty();
        assertThat(states.consume("never-issued")).isEmpty();
    }

    @OnEachDatabase
    void neitherTheStateNorTheVerifierIsStoredInClear() {
        states.create("state-in-the-url", "support", "google", Secret.of("pkce-verifier-value"), CALLBACK, Duration.ofMinutes(10));

        String stored = bed.jdbi().withHandle(h -> h.createQuery("SELECT * FROM oauth_state").mapToMap().list().toString());
        assertThat(stored).doesNotContain("state-in-the-url").doesNotContain("pkce-verifier-value");
    }

    @OnEachDatabase
    void anExpiredAttemptIsStillTakenSoTheAdminIsToldItExpiredUntilANewOneClearsIt() {
        states.create("old", "support", "entra", Secret.of("v-old"), CALLBACK, Duration.ofMinutes(10));
        states.create("older", "support", "entra", Secret.of("v-older"), CALLBACK, Duration.ofMinutes(10));
        bed.clock().advance(Duration.ofMinutes(11));

        assertThat(states.consume("old")).hasValueSatisfying(p -> assertThat(p.expiresAt()).isBefore(bed.clock().instant()));

        states.create("new", "support", "entra", Secret.of("v-new"), CALLBACK, Duration.ofMinutes(10));
        assertThat(states.consume("older")).as("cleared when the next attempt began").isEmpty();
        assertThat(states.consume("new")).isPresent();
    }

    @OnEachDatabase
    void twoCallbacksWithTheSameStateFinishOneAuthorization() throws Exception {
        List<Optional<PendingAuthorization>> taken = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                String state = "state-" + round;
                states.create(state, "support", "entra", Secret.of("v" + round), CALLBACK, Duration.ofMinutes(10));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Optional<PendingAuthorization>>> racing = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    racing.add(threads.submit(() -> {
                        go.await();
                        return states.consume(state);
                    }));
                }
                go.countDown();
                List<Optional<PendingAuthorization>> results = new ArrayList<>();
                for (Future<Optional<PendingAuthorization>> f : racing) {
                    results.add(f.get(10, TimeUnit.SECONDS));
                }
                assertThat(results).as("round %d", round).filteredOn(Optional::isPresent).hasSize(1);
                taken.addAll(results);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(taken).hasSize(40);
    }
}
