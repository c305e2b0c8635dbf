package dev.intake.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.provider.Grant;
import org.junit.jupiter.api.BeforeEach;

/** How a mailbox's stored state follows {@code auth}, on H2 and on PostgreSQL. */
class MailboxStoreAppOnlyTest {

    MailboxStore mailboxes;
    AuthorizationStore authorizations;

    @BeforeEach
    void open(StoreTestBed bed) {
        mailboxes = new MailboxStore(bed.jdbi(), bed.clock());
        authorizations = new AuthorizationStore(bed.jdbi(), bed.box(), bed.clock());
    }

    private MailboxState state(String id) {
        return mailboxes.find(id).orElseThrow().state();
    }

    @OnEachDatabase
    void anAppOnlyMailboxIsActiveFromTheStartAndAlsoAfterItsGrantDied() {
        mailboxes.ensure("billing", true);
        mailboxes.ensure("support", false);
        mailboxes.markNeedsReauthorization("support", "invalid_grant: revoked");

        assertThat(state("billing")).isEqualTo(MailboxState.ACTIVE);
        mailboxes.ensure("support", true);
        assertThat(state("support")).as("switched to auth: app").isEqualTo(MailboxState.ACTIVE);
        assertThat(mailboxes.find("support").orElseThrow().stateReason()).isEmpty();
    }

    @OnEachDatabase
    void backToDelegatedAMailboxWaitsForAnAuthorizationUnlessItHasAGrant() {
        mailboxes.ensure("billing", true);
        mailboxes.ensure("support", true);
        authorizations.authorize("support", "entra", "support@contoso.example", Grant.of("grant of earlier days"));

        mailboxes.ensure("billing", false);
        mailboxes.ensure("support", false);

        assertThat(state("billing")).isEqualTo(MailboxState.NOT_AUTHORIZED);
        assertThat(state("support")).as("its grant still opens it").isEqualTo(MailboxState.ACTIVE);
    }
}
