package dev.intake.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.store.Transactions;
import dev.intake.app.support.database.GrownDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the ticket list, the ticket page and the JSON API ask of the ticket tables costs a page, not the history: on
 * thousands of tickets (each with a followup, an attachment and an internal note), a page of the list reads its own
 * tickets through an index, a ticket its own rows. On H2 with its own row counts ({@code EXPLAIN ANALYZE}), as in
 * {@code LedgerQueryCostTest}. Not covered, as they read by nature what they look through: the text search
 * ({@code LIKE '%...%'}), deep pages (OFFSET) and the exact totals of a mailbox's tickets.
 */
class TicketQueryCostTest {

    static final int HISTORY = 5_000;
    static final int PAGE = 50;
    /** A page of the list and an index boundary or two; the subqueries' counts a few rows more. */
    static final long FEW = PAGE + 10;

    // Months of tickets, one an hour, four in five for "support" and one in five for "sales"; each with a followup, an
    // attachment (of the ticket or of its followup) and an internal note.
    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> bed.jdbi().useHandle(h -> {
        Instant now = bed.clock().instant();
        h.execute("INSERT INTO ticket (mailbox_id, subject, requester_address, requester_name, ticket_date, body_text, "
                + "created_at) SELECT CASE WHEN MOD(X, 5) = 0 THEN 'sales' ELSE 'support' END, 'Subject ' || X, "
                + "'user' || X || '@example.org', 'User ' || X, "
                + "DATEADD(HOUR, X - ?, CAST(? AS TIMESTAMP WITH TIME ZONE)), 'Body', ? FROM SYSTEM_RANGE(1, ?)",
                HISTORY, now, now, HISTORY);
        h.execute("INSERT INTO followup (ticket_id, mailbox_id, followup_date, body_text, created_at) SELECT X, "
                + "'support', ?, 'Reply', ? FROM SYSTEM_RANGE(1, ?)", now, now, HISTORY);
        h.execute("INSERT INTO attachment (ticket_id, followup_id, file_name, content_type, size_bytes, sha256, "
                + "inline_part, content) SELECT X, CASE WHEN MOD(X, 2) = 0 THEN X END, 'file' || X, 'text/plain', 1, "
                + "LPAD('', 64, '0'), FALSE, X'00' FROM SYSTEM_RANGE(1, ?)", HISTORY);
        h.execute("INSERT INTO ticket_note (ticket_id, author, body, created_at) SELECT X, 'ann', 'Note', ? "
                + "FROM SYSTEM_RANGE(1, ?)", now, HISTORY);
    }));

    TicketStore tickets;
    Transactions transactions;
    Instant now;

    @BeforeEach
    void open() {
        tickets = new TicketStore(db.bed().jdbi(), db.bed().clock());
        transactions = db.bed().transactions();
        now = db.bed().clock().instant();
    }

    /** Every view of the ticket list (web UI, API, CLI) without a filter: the newest page and the total. */
    @Test
    void theFirstPageOfTheListReadsItsPage() {
        TicketQuery first = TicketQuery.firstPage(PAGE);

        assertThat(tickets.list(first)).hasSize(PAGE).first().extracting(TicketSummary::number).isEqualTo((long) HISTORY);
        assertThat(tickets.count(first)).isEqualTo(HISTORY);
        db.assertEachQueryReadAtMost(FEW);
    }

    /** The list of one mailbox (the web UI's mailbox filter, the API's {@code ?mailbox=}): its newest page. */
    @Test
    void theFirstPageOfAMailboxReadsItsPage() {
        for (String mailbox : new String[] {"support", "sales"}) {
            TicketQuery query = new TicketQuery(Optional.of(mailbox), Optional.empty(), Optional.empty(), 1, PAGE);

            assertThat(tickets.list(query)).hasSize(PAGE).allSatisfy(t -> assertThat(t.mailboxId()).isEqualTo(mailbox));
            db.assertEachQueryReadAtMost(FEW);
        }
    }

    /** An integration polling the API for the tickets since its last look, of every mailbox or one. */
    @Test
    void theTicketsSinceAMomentReadThoseTicketsOnly() {
        Instant since = now.minus(Duration.ofHours(30));
        TicketQuery all = new TicketQuery(Optional.empty(), Optional.empty(), Optional.of(since), 1, PAGE);
        TicketQuery sales = new TicketQuery(Optional.of("sales"), Optional.empty(), Optional.of(since), 1, PAGE);

        assertThat(tickets.list(all)).hasSize(31);
        assertThat(tickets.count(all)).isEqualTo(31);
        assertThat(tickets.list(sales)).hasSize(7);
        assertThat(tickets.count(sales)).isEqualTo(7);
        db.assertEachQueryReadAtMost(FEW);
    }

    /** The ticket page and the API's ticket: the ticket, its followups, attachments and notes; an attachment. */
    @Test
    void aTicketReadsItsOwnRows() {
        Ticket ticket = tickets.find(4000).orElseThrow();

        assertThat(ticket.followups()).hasSize(1);
        assertThat(ticket.followups().get(0).attachments()).hasSize(1);
        assertThat(ticket.internalNotes()).hasSize(1);
        assertThat(tickets.attachment(4001)).get().extracting(StoredAttachment::ticketNumber).isEqualTo(4001L);
        db.assertEachQueryReadAtMost(FEW);
    }

    /** Collection and the delivery outbox, per message: a tagged ticket's existence, its followups, its attachments. */
    @Test
    void collectionsLookupsOfATicketReadItsOwnRows() {
        transactions.inTransaction(tx -> {
            assertThat(tickets.exists(tx, 4000)).isTrue();
            assertThat(tickets.followupIds(tx, 4000)).hasSize(1);
            assertThat(tickets.attachments(tx, 4001)).hasSize(1);
            return null;
        });
        db.assertEachQueryReadAtMost(FEW);
    }
}
