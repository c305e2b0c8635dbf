package dev.intake.app.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.Mails;
import dev.intake.testing.PostgresDatabase;
import dev.intake.app.ledger.Outcome;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message the database refuses to store, in the middle of a batch that commits as one transaction: its partial
 * writes are undone, it is recorded as refused with its original kept, and the rest of the batch still becomes
 * tickets. On H2 and on PostgreSQL, where one failed statement otherwise aborts the whole transaction. The refusal
 * is the database's own: a CHECK constraint the test adds to the attachment table, so the ticket row of the failing
 * message is already written when its attachment is refused.
 */
class StorageFailureTest {

    static final String ADDRESS = CollectionTest.ADDRESS;
    static final String TOKEN = CollectionTest.TOKEN;

    @TempDir
    Path dir;

    IntakeFixture fx;
    PostgresDatabase pg;

    @AfterEach
    void stop() {
        try {
            if (fx != null) {
                fx.close();
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aMessageTheDatabaseRefusesIsUndoneAndRecordedAndTheRestOfTheBatchIsTicketed(String database) throws Exception {
        fx = new IntakeFixture(dir).mailbox("support", "entra", ADDRESS, "initial-sync: all",
                "accepted-folder: Intake/Accepted", "poll-every: 1h", "paused: true");
        if (database.equals("postgresql")) {
            pg = PostgresDatabase.create();
            fx.writeSecret("intake-key", dev.intake.app.crypto.KeyRings.newKeyBase64());
            fx.database(pg.url()).yaml("encryption:\n  active-key: k1\n  keys:\n    k1: ${file:intake-key}\n");
        }
        fx.entra().fixedAccessToken(TOKEN);
        GreenMailUser user = fx.imapUser(ADDRESS, TOKEN);
        fx.start();
        assertThat(fx.authorize("support", ADDRESS).status()).isEqualTo(200);
        Jdbi jdbi = fx.stores().jdbi();
        jdbi.useHandle(h -> h.execute("ALTER TABLE attachment ADD CONSTRAINT test_no_poison CHECK (file_name <> 'poison.pdf')"));

        deliver(user, Mails.plain("a@customer.example", ADDRESS, "Before", "<before@x>", "first"));
        deliver(user, Mails.withAttachment("b@customer.example", ADDRESS, "Poisoned", "<poisoned@x>", "see attached",
                "poison.pdf", "%PDF-1.4 poison".getBytes(StandardCharsets.US_ASCII)));
        deliver(user, Mails.withAttachment("c@customer.example", ADDRESS, "After", "<after@x>", "last",
                "fine.pdf", "%PDF-1.4 fine".getBytes(StandardCharsets.US_ASCII)));

        PollSummary s = fx.intake().collection().poll(fx.intake().currentConfig().mailbox("support").orElseThrow(), () -> false);

        assertThat(s.tickets()).isEqualTo(2);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(tickets()).extracting(TicketSummary::subject).containsExactlyInAnyOrder("Before", "After");
        // Nothing of the failed message's ticket survives, not even rows no page lists.
        int ticketRows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM ticket").mapTo(Integer.class).one());
        java.util.List<String> attachmentRows = jdbi.withHandle(h -> h.createQuery("SELECT file_name FROM attachment")
                .mapTo(String.class).list());
        assertThat(ticketRows).isEqualTo(2);
        assertThat(attachmentRows).containsExactly("fine.pdf");
        var refused = fx.intake().ledger().processed("support", Optional.of(Outcome.REFUSED), 10);
        assertThat(refused).singleElement().satisfies(r -> {
            assertThat(r.subject()).isEqualTo("Poisoned");
            assertThat(r.reason()).contains(dev.intake.app.mail.RefusalReason.PROCESSING_ERROR);
            // What the database said, for the admin; never the statement's bound values (mail text, grants).
            assertThat(r.detail()).hasValueSatisfying(d -> assertThat(d).contains("Import anyway")
                    .containsIgnoringCase("test_no_poison").doesNotContain("arguments").doesNotContain("poison.pdf"));
            assertThat(r.rawKept()).isTrue();
        });
        // Accepted mail is moved; the refused one stays in INBOX (flagged \Seen) for the admin to find.
        assertThat(fx.subjects(user, "Intake.Accepted")).containsExactly("Before", "After");
        assertThat(fx.subjects(user, "INBOX")).containsExactly("Poisoned");

        // Once the cause is gone, the kept original becomes a ticket with its attachment.
        jdbi.useHandle(h -> h.execute("ALTER TABLE attachment DROP CONSTRAINT test_no_poison"));
        long number = fx.intake().imports().importAnyway(refused.get(0).id(), "admin");
        Ticket imported = fx.intake().tickets().find(number).orElseThrow();
        assertThat(imported.subject()).isEqualTo("Poisoned");
        assertThat(imported.attachments()).extracting(Ticket.AttachmentInfo::fileName).containsExactly("poison.pdf");

        PollSummary again = fx.intake().collection().poll(fx.intake().currentConfig().mailbox("support").orElseThrow(),
                () -> false);
        assertThat(again.fetched()).isZero();
        assertThat(tickets()).hasSize(3);
    }

    private void deliver(GreenMailUser user, String raw) {
        fx.append(user, "INBOX", raw, Instant.now());
    }

    private java.util.List<TicketSummary> tickets() {
        return fx.intake().tickets().list(TicketQuery.firstPage(1000));
    }
}
