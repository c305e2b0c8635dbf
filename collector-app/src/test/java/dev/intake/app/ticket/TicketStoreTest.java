package dev.intake.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.intake.app.spool.Spool;
import dev.intake.app.spool.SpoolWriter;
import dev.intake.app.store.Transactions;
import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.app.support.database.TestTickets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;

/** Tickets, followups and attachments on H2 and on PostgreSQL: what collection writes is what the admin reads. */
class TicketStoreTest {

    static final String MAILBOX = "support";

    StoreTestBed bed;
    TicketStore tickets;
    Transactions transactions;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        tickets = new TicketStore(bed.jdbi(), bed.clock());
        transactions = bed.transactions();
    }

    @OnEachDatabase
    void aTicketKeepsEverythingItsMessageCarried() {
        AttachmentContent logo = new AttachmentContent("logo.png", "image/png", 4, Spool.of(new byte[] {1, 2, 3, 4}).sha256Hex(),
                Optional.of("<logo@example.org>"), true, Spool.of(new byte[] {1, 2, 3, 4}));
        TicketContent content = new TicketContent("Printer on fire",
                Optional.of(new Person("alice@example.org", Optional.of("Alice Example"))),
                List.of("bob@example.org", "carol@example.org"), TestTickets.DATE, "It is on fire.\nSend help.",
                Optional.of("<p>It is on fire.</p>"), Optional.of("<fire@example.org>"),
                List.of("A 40 MB attachment was dropped", "The HTML part was kept raw"),
                List.of(TestTickets.attachment("report.txt", "smoke detected"), logo));

        long number = open(content);

        Ticket ticket = tickets.find(number).orElseThrow();
        assertThat(ticket.number()).isEqualTo(number);
        assertThat(ticket.mailboxId()).isEqualTo(MAILBOX);
        assertThat(ticket.subject()).isEqualTo("Printer on fire");
        assertThat(ticket.requester()).contains(new Person("alice@example.org", Optional.of("Alice Example")));
        assertThat(ticket.cc()).containsExactly("bob@example.org", "carol@example.org");
        assertThat(ticket.date()).isEqualTo(TestTickets.DATE);
        assertThat(ticket.bodyText()).isEqualTo("It is on fire.\nSend help.");
        assertThat(ticket.bodyHtml()).contains("<p>It is on fire.</p>");
        assertThat(ticket.messageId()).contains("<fire@example.org>");
        assertThat(ticket.notes()).containsExactly("A 40 MB attachment was dropped", "The HTML part was kept raw");
        assertThat(ticket.createdAt()).isEqualTo(StoreTestBed.START);
        assertThat(ticket.followups()).isEmpty();
        assertThat(ticket.attachments()).extracting(Ticket.AttachmentInfo::fileName, Ticket.AttachmentInfo::inline,
                        Ticket.AttachmentInfo::contentId)
                .containsExactly(
                        tuple("report.txt", false, Optional.empty()),
                        tuple("logo.png", true, Optional.of("<logo@example.org>")));

        StoredAttachment report = tickets.attachment(ticket.attachments().get(0).id()).orElseThrow();
        assertThat(report.ticketNumber()).isEqualTo(number);
        assertThat(new String(report.content(), StandardCharsets.UTF_8)).isEqualTo("smoke detected");
        assertThat(report.info().size()).isEqualTo(14);
        assertThat(report.info().sha256()).isEqualTo(Spool.of("smoke detected".getBytes(StandardCharsets.UTF_8)).sha256Hex());
    }

    @OnEachDatabase
    void aMessageWithoutSenderHtmlIdCcOrNotesIsStoredAsSuch() {
        long number = open(new TicketContent("(no subject)", Optional.empty(), List.of(), TestTickets.DATE, "", Optional.empty(),
                Optional.empty(), List.of(), List.of()));

        Ticket ticket = tickets.find(number).orElseThrow();
        assertThat(ticket.requester()).isEmpty();
        assertThat(ticket.cc()).isEmpty();
        assertThat(ticket.bodyHtml()).isEmpty();
        assertThat(ticket.messageId()).isEmpty();
        assertThat(ticket.notes()).isEmpty();
        assertThat(tickets.find(number + 1000)).isEmpty();
        assertThat(tickets.attachment(424242)).isEmpty();
    }

    @OnEachDatabase
    void aSubjectLongerThanItsColumnIsCutNotRefused() {
        long number = open(TestTickets.content("x".repeat(3000)));

        assertThat(tickets.find(number).orElseThrow().subject()).hasSize(2000);
    }

    @OnEachDatabase
    void followupsAndTheirAttachmentsJoinTheirTicketInOrder() {
        long number = open(TestTickets.content("Question"));
        transactions.inTransaction(tx -> {
            tickets.addFollowup(tx, number, MAILBOX, TestTickets.content("Re: Question",
                    new Person("bob@example.org", Optional.empty()), List.of(TestTickets.attachment("answer.txt", "42"))));
            bed.clock().advance(Duration.ofMinutes(5));
            tickets.addFollowup(tx, number, MAILBOX, TestTickets.content("Re: Re: Question"));
            return null;
        });
        long other = open(TestTickets.content("Unrelated"));

        Ticket ticket = tickets.find(number).orElseThrow();
        assertThat(ticket.attachments()).as("the ticket's own attachments").isEmpty();
        assertThat(ticket.followups()).hasSize(2);
        Ticket.Followup first = ticket.followups().get(0);
        assertThat(first.from()).contains(new Person("bob@example.org", Optional.empty()));
        assertThat(first.bodyText()).isEqualTo("Body of Re: Question");
        assertThat(first.attachments()).extracting(Ticket.AttachmentInfo::fileName).containsExactly("answer.txt");
        assertThat(first.attachments().get(0).followupId()).contains(first.id());
        assertThat(ticket.followups().get(1).createdAt()).isEqualTo(StoreTestBed.START.plus(Duration.ofMinutes(5)));
        assertThat(ticket.followups().get(1).attachments()).isEmpty();

        assertThat(tickets.list(TicketQuery.firstPage(10)))
                .extracting(TicketSummary::number, TicketSummary::followups, TicketSummary::attachments)
                .containsExactly(
                        tuple(other, 0, 0),
                        tuple(number, 2, 1));
        assertThat(transactions.<Boolean, RuntimeException>inTransaction(tx -> tickets.exists(tx, number))).isTrue();
        assertThat(transactions.<Boolean, RuntimeException>inTransaction(tx -> tickets.exists(tx, other + 1000))).isFalse();
    }

    @OnEachDatabase
    void aLargeAttachmentStreamsInFromItsTemporaryFileAndComesBackWhole() throws Exception {
        byte[] pdf = new byte[5 * 1024 * 1024 + 7];
        new Random(11).nextBytes(pdf);
        long number;
        try (SpoolWriter writer = new SpoolWriter(64 * 1024)) {
            writer.write(pdf);
            try (Spool spool = writer.finish()) {
                assertThat(spool.inMemory()).isFalse();
                number = open(TestTickets.content("Scan", new Person("alice@example.org", Optional.empty()),
                        List.of(TestTickets.attachment("scan.pdf", spool))));
            }
        }

        Ticket.AttachmentInfo info = tickets.find(number).orElseThrow().attachments().get(0);
        assertThat(info.size()).isEqualTo(pdf.length);
        assertThat(info.sha256()).isEqualTo(Spool.of(pdf).sha256Hex());
        assertThat(tickets.attachment(info.id()).orElseThrow().content()).isEqualTo(pdf);
    }

    @OnEachDatabase
    void theListIsNewestFirstInPagesAndCountsWhatItFilters() {
        for (int i = 1; i <= 5; i++) {
            open(MAILBOX, TestTickets.content("Support " + i));
        }
        open("sales", TestTickets.content("Sales 1"));

        assertThat(subjects(new TicketQuery(Optional.empty(), Optional.empty(), Optional.empty(), 1, 2)))
                .containsExactly("Sales 1", "Support 5");
        assertThat(subjects(new TicketQuery(Optional.empty(), Optional.empty(), Optional.empty(), 3, 2))).containsExactly("Support 2", "Support 1");
        assertThat(subjects(new TicketQuery(Optional.empty(), Optional.empty(), Optional.empty(), 4, 2))).isEmpty();
        assertThat(subjects(new TicketQuery(Optional.empty(), Optional.empty(), Optional.empty(), 0, 2)))
                .as("page 0 is the first page").containsExactly("Sales 1", "Support 5");

        TicketQuery support = new TicketQuery(Optional.of(MAILBOX), Optional.empty(), Optional.empty(), 1, 50);
        assertThat(subjects(support)).hasSize(5).allMatch(s -> s.startsWith("Support"));
        assertThat(tickets.count(support)).isEqualTo(5);
        assertThat(tickets.count(TicketQuery.firstPage(2))).as("the count ignores the page").isEqualTo(6);
    }

    @OnEachDatabase
    void theListCanStartAtADate() {
        Instant day = Instant.parse("2026-11-20T00:00:00Z");
        open(new TicketContent("Old", Optional.empty(), List.of(), day.minusSeconds(1), "", Optional.empty(), Optional.empty(),
                List.of(), List.of()));
        open(new TicketContent("New", Optional.empty(), List.of(), day, "", Optional.empty(), Optional.empty(),
                List.of(), List.of()));

        TicketQuery since = new TicketQuery(Optional.empty(), Optional.empty(), Optional.of(day), 1, 10);
        assertThat(subjects(since)).containsExactly("New");
        assertThat(tickets.count(since)).isEqualTo(1);
    }

    @OnEachDatabase
    void searchMatchesSubjectAndRequesterCaseInsensitivelyAndTakesWildcardsLiterally() {
        open(TestTickets.content("100% sure"));
        open(TestTickets.content("100 percent sure"));
        open(TestTickets.content("under_score"));
        open(TestTickets.content("underXscore"));
        open(TestTickets.content("C:\\Temp is full"));
        open(TestTickets.content("C:Temp"));
        open(TestTickets.content("From Bob", new Person("Bob.Builder@Example.ORG", Optional.of("Bob the Builder")), List.of()));

        assertThat(search("100%")).containsExactly("100% sure");
        assertThat(search("under_score")).containsExactly("under_score");
        assertThat(search("C:\\Temp")).containsExactly("C:\\Temp is full");
        assertThat(search("%")).containsExactly("100% sure");
        assertThat(search("_")).containsExactly("under_score");
        assertThat(search("UNDER")).containsExactly("underXscore", "under_score");
        assertThat(search("bob.builder@example.org")).as("the requester's address").containsExactly("From Bob");
        assertThat(search("the builder")).as("the requester's name").containsExactly("From Bob");
        assertThat(search("alice example")).as("Alice's name is on all the others").hasSize(6);
        assertThat(tickets.count(new TicketQuery(Optional.empty(), Optional.of("100%"), Optional.empty(), 1, 10))).isEqualTo(1);
    }

    private List<String> search(String text) {
        return subjects(new TicketQuery(Optional.empty(), Optional.of(text), Optional.empty(), 1, 50));
    }

    private List<String> subjects(TicketQuery query) {
        return tickets.list(query).stream().map(TicketSummary::subject).toList();
    }

    private long open(TicketContent content) {
        return open(MAILBOX, content);
    }

    private long open(String mailbox, TicketContent content) {
        return transactions.inTransaction(tx -> tickets.open(tx, mailbox, content));
    }
}
