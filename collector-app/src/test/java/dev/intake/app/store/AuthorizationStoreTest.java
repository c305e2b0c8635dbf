package dev.intake.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.crypto.TamperedException;
import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.provider.Grant;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/** Mailbox grants on H2 and on PostgreSQL: sealed at rest, bound to their mailbox, rotated under the row's lock. */
class AuthorizationStoreTest {

    StoreTestBed bed;
    AuthorizationStore authorizations;
    MailboxStore mailboxes;
    Transactions transactions;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        authorizations = new AuthorizationStore(bed.jdbi(), bed.box(), bed.clock());
        mailboxes = new MailboxStore(bed.jdbi(), bed.clock());
        transactions = bed.transactions();
    }

    @OnEachDatabase
    void anAuthorizationIsStoredSealedAndMakesTheMailboxActive() {
        mailboxes.ensure("support");
        mailboxes.recordFailure("support", "IMAP refused the token", StoreTestBed.START.plusSeconds(60));
        mailboxes.markNeedsReauthorization("support", "invalid_grant: expired");

        authorizations.authorize("support", "entra", "support@contoso.example", Grant.of("refresh-token-material-1"));

        StoredAuthorization stored = authorizations.find("support").orElseThrow();
        assertThat(stored.grant()).isEqualTo(Grant.of("refresh-token-material-1"));
        assertThat(stored.provider()).isEqualTo("entra");
        assertThat(stored.account()).isEqualTo("support@contoso.example");
        assertThat(stored.keyId()).isEqualTo("k1");
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.authorizedAt()).isEqualTo(StoreTestBed.START);
        assertThat(stored.refreshedAt()).isEmpty();
        assertThat(storedColumns("support")).doesNotContain("refresh-token-material-1");

        MailboxRecord mailbox = mailboxes.find("support").orElseThrow();
        assertThat(mailbox.state()).isEqualTo(MailboxState.ACTIVE);
        assertThat(mailbox.stateReason()).isEmpty();
        assertThat(mailbox.consecutiveFailures()).isZero();
        assertThat(mailbox.nextAttemptAt()).isEmpty();
        assertThat(authorizations.find("another")).isEmpty();
    }

    @OnEachDatabase
    void authorizingAgainReplacesTheGrantAndCountsTheVersion() {
        authorizations.authorize("support", "entra", "old@contoso.example", Grant.of("first"));
        bed.clock().advance(Duration.ofDays(1));
        authorizations.authorize("support", "google", "new@example.org", Grant.of("second"));

        StoredAuthorization stored = authorizations.find("support").orElseThrow();
        assertThat(stored.grant()).isEqualTo(Grant.of("second"));
        assertThat(stored.provider()).isEqualTo("google");
        assertThat(stored.account()).isEqualTo("new@example.org");
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.authorizedAt()).isEqualTo(StoreTestBed.START.plus(Duration.ofDays(1)));
        assertThat(authorizations.infos()).containsOnlyKeys("support");
    }

    @OnEachDatabase
    void aGrantCopiedIntoAnotherMailboxesRowDoesNotOpen() {
        authorizations.authorize("support", "entra", "support@contoso.example", Grant.of("support's grant"));
        authorizations.authorize("sales", "entra", "sales@contoso.example", Grant.of("sales' grant"));

        bed.jdbi().useHandle(h -> h.createUpdate("UPDATE mailbox_authorization SET grant_sealed = "
                + "(SELECT grant_sealed FROM mailbox_authorization WHERE mailbox_id = 'support') WHERE mailbox_id = 'sales'").execute());

        assertThatThrownBy(() -> authorizations.find("sales")).isInstanceOf(TamperedException.class);
        assertThat(authorizations.find("support").orElseThrow().grant()).isEqualTo(Grant.of("support's grant"));
    }

    @OnEachDatabase
    void aRotatedGrantIsSavedInTheTransactionThatLockedTheRow() {
        authorizations.authorize("support", "entra", "support@contoso.example", Grant.of("before"));
        bed.clock().advance(Duration.ofMinutes(30));

        transactions.inTransaction(tx -> {
            StoredAuthorization locked = authorizations.findLocked(tx, "support").orElseThrow();
            assertThat(locked.grant()).isEqualTo(Grant.of("before"));
            authorizations.saveRotated(tx, "support", Grant.of("after"));
            return null;
        });

        StoredAuthorization stored = authorizations.find("support").orElseThrow();
        assertThat(stored.grant()).isEqualTo(Grant.of("after"));
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.refreshedAt()).contains(StoreTestBed.START.plus(Duration.ofMinutes(30)));
        assertThat(stored.authorizedAt()).isEqualTo(StoreTestBed.START);
        assertThat(transactions.<Optional<StoredAuthorization>, RuntimeException>inTransaction(
                tx -> authorizations.findLocked(tx, "nobody"))).isEmpty();
    }

    @OnEachDatabase
    void aRotationThatFailsKeepsTheGrantItRead() {
        authorizations.authorize("support", "entra", "support@contoso.example", Grant.of("before"));

        assertThatThrownBy(() -> transactions.inTransaction(tx -> {
            authorizations.findLocked(tx, "support");
            authorizations.saveRotated(tx, "support", Grant.of("after"));
            throw new IllegalStateException("the access token could not be used");
        })).isInstanceOf(IllegalStateException.class);

        StoredAuthorization stored = authorizations.find("support").orElseThrow();
        assertThat(stored.grant()).isEqualTo(Grant.of("before"));
        assertThat(stored.version()).isEqualTo(1);
    }

    @OnEachDatabase
    void aSecondRefreshWaitsForTheLockedRowAndReadsTheGrantTheFirstOneRotated() throws Exception {
        authorizations.authorize("support", "entra", "support@contoso.example", Grant.of("before"));
        CountDownLatch firstHoldsTheRow = new CountDownLatch(1);
        CountDownLatch secondIsWaiting = new CountDownLatch(1);
        StoredAuthorization seen;

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Object> first = threads.submit(() -> transactions.inTransaction(tx -> {
                authorizations.findLocked(tx, "support");
                firstHoldsTheRow.countDown();
                // long enough for the second to be stuck on the row, well short of H2's lock timeout
                assertThat(secondIsWaiting.await(10, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(300);
                authorizations.saveRotated(tx, "support", Grant.of("after"));
                return null;
            }));
            assertThat(firstHoldsTheRow.await(10, TimeUnit.SECONDS)).isTrue();
            Future<StoredAuthorization> second = threads.submit(() -> {
                secondIsWaiting.countDown();
                return transactions.inTransaction(tx -> authorizations.findLocked(tx, "support").orElseThrow());
            });

            first.get(10, TimeUnit.SECONDS);
            seen = second.get(10, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(seen.grant()).as("never the grant the first one replaced").isEqualTo(Grant.of("after"));
        assertThat(seen.version()).isEqualTo(2);
    }

    @OnEachDatabase
    void whoAuthorizedWhatAndUnderWhichKeyIsReadWithoutOpeningAnyGrant() {
        authorizations.authorize("support", "entra", "support@contoso.example", Grant.of("a"));
        authorizations.authorize("sales", "google", "sales@example.org", Grant.of("b"));
        // the grant of "sales" can no longer be opened, and need not be
        bed.jdbi().useHandle(h -> h.createUpdate("UPDATE mailbox_authorization SET grant_sealed = 'garbage' "
                + "WHERE mailbox_id = 'sales'").execute());

        Map<String, AuthorizationInfo> infos = authorizations.infos();
        assertThat(infos).containsOnlyKeys("sales", "support");
        assertThat(infos.get("sales").provider()).isEqualTo("google");
        assertThat(infos.get("sales").account()).isEqualTo("sales@example.org");
        assertThat(infos.get("support").keyId()).isEqualTo("k1");
        assertThat(authorizations.countByKey()).containsOnly(Map.entry("k1", 2));
    }

    private String storedColumns(String mailboxId) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT * FROM mailbox_authorization WHERE mailbox_id = :id")
                .bind("id", mailboxId).mapToMap().list().toString());
    }
}
