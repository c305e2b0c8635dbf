package dev.intake.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;

/** A mailbox's stored lifecycle and collection health on H2 and on PostgreSQL. */
class MailboxStoreTest {

    StoreTestBed bed;
    MailboxStore mailboxes;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        mailboxes = new MailboxStore(bed.jdbi(), bed.clock());
    }

    @OnEachDatabase
    void aConfiguredMailboxGetsItsRowOnceAndStartsUnauthorized() {
        mailboxes.ensure("support");
        mailboxes.ensure("billing");
        mailboxes.markNeedsReauthorization("support", "invalid_grant");
        mailboxes.ensure("support");

        assertThat(mailboxes.all()).extracting(MailboxRecord::id).containsExactly("billing", "support");
        MailboxRecord billing = mailboxes.find("billing").orElseThrow();
        assertThat(billing.state()).isEqualTo(MailboxState.NOT_AUTHORIZED);
        assertThat(billing.consecutiveFailures()).isZero();
        assertThat(billing.pausedByAdmin()).isFalse();
        assertThat(billing.lastPollAt()).isEmpty();
        assertThat(billing.lastSuccessAt()).isEmpty();
        assertThat(billing.lastError()).isEmpty();
        assertThat(billing.lastTokenAt()).isEmpty();
        assertThat(mailboxes.find("support").orElseThrow().state()).as("ensure never resets a known mailbox")
                .isEqualTo(MailboxState.NEEDS_REAUTHORIZATION);
        assertThat(mailboxes.find("nobody")).isEmpty();
    }

    @OnEachDatabase
    void failuresCountUpUntilASuccess() {
        mailboxes.ensure("support");
        Instant retry = StoreTestBed.START.plus(Duration.ofMinutes(2));

        assertThat(mailboxes.recordFailure("support", "IMAP server unreachable", retry)).isEqualTo(1);
        bed.clock().advance(Duration.ofMinutes(2));
        assertThat(mailboxes.recordFailure("support", "IMAP server unreachable again", retry.plus(Duration.ofMinutes(4))))
                .isEqualTo(2);

        MailboxRecord failing = mailboxes.find("support").orElseThrow();
        assertThat(failing.state()).as("a failing mailbox is still active or not").isEqualTo(MailboxState.NOT_AUTHORIZED);
        assertThat(failing.consecutiveFailures()).isEqualTo(2);
        assertThat(failing.lastError()).contains("IMAP server unreachable again");
        assertThat(failing.lastErrorAt()).contains(StoreTestBed.START.plus(Duration.ofMinutes(2)));
        assertThat(failing.lastPollAt()).contains(StoreTestBed.START.plus(Duration.ofMinutes(2)));
        assertThat(failing.nextAttemptAt()).contains(retry.plus(Duration.ofMinutes(4)));
        assertThat(failing.lastSuccessAt()).isEmpty();

        bed.clock().advance(Duration.ofMinutes(5));
        mailboxes.recordSuccess("support");

        MailboxRecord healthy = mailboxes.find("support").orElseThrow();
        assertThat(healthy.consecutiveFailures()).isZero();
        assertThat(healthy.nextAttemptAt()).isEmpty();
        assertThat(healthy.lastSuccessAt()).contains(StoreTestBed.START.plus(Duration.ofMinutes(7)));
        assertThat(healthy.lastError()).as("the last error stays for the admin to read").contains("IMAP server unreachable again");
    }

    @OnEachDatabase
    void aRefusedGrantStopsTheMailboxWithItsReason() {
        mailboxes.ensure("support");

        mailboxes.markNeedsReauthorization("support", "AADSTS700082: refresh token expired");

        MailboxRecord record = mailboxes.find("support").orElseThrow();
        assertThat(record.state()).isEqualTo(MailboxState.NEEDS_REAUTHORIZATION);
        assertThat(record.stateReason()).contains("AADSTS700082: refresh token expired");
        assertThat(record.lastError()).contains("AADSTS700082: refresh token expired");
        assertThat(record.lastErrorAt()).contains(StoreTestBed.START);
    }

    @OnEachDatabase
    void anAdminPausesAndResumesEvenAMailboxNotSeenYet() {
        mailboxes.setPausedByAdmin("new-one", true);
        assertThat(mailboxes.find("new-one").orElseThrow().pausedByAdmin()).isTrue();

        mailboxes.setPausedByAdmin("new-one", false);
        assertThat(mailboxes.find("new-one").orElseThrow().pausedByAdmin()).isFalse();
    }

    @OnEachDatabase
    void aTokenRefreshIsRecorded() {
        mailboxes.ensure("support");
        bed.clock().advance(Duration.ofHours(1));

        mailboxes.recordTokenRefresh("support");

        assertThat(mailboxes.find("support").orElseThrow().lastTokenAt()).contains(StoreTestBed.START.plus(Duration.ofHours(1)));
    }
}
