package dev.intake.app.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.Mails;
import dev.intake.app.ledger.Outcome;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketSummary;
import dev.intake.config.MailboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collection end to end: Intake authorizes through the fake Entra server, then collects GreenMail over IMAPS with
 * XOAUTH2 (through a relay the tests can cut), writes tickets to H2, and moves messages on the server. Every test
 * states the tickets and refusals it expects and what the server's folders hold afterwards.
 */
class CollectionTest {

    static final String ADDRESS = "support@contoso.com";
    static final String TOKEN = "imap-access-token-1";
    static final String ACCEPTED = "Intake.Accepted";
    static final String REFUSED = "Intake.Refused";

    @TempDir
    Path dir;

    IntakeFixture fx;
    GreenMailUser user;

    void start(String... mailboxLines) {
        start(dev.intake.app.collect.FaultPoints.NONE, mailboxLines);
    }

    /**
     * Unless a test says otherwise, the mailbox is paused: the scheduler leaves it alone and the test's own polls
     * are the only runs, so each poll's summary is exactly what the test delivered.
     */
    void start(FaultPoints faults, String... mailboxLines) {
        java.util.List<String> lines = new java.util.ArrayList<>(List.of(
                "accepted-folder: Intake/Accepted", "refused-folder: Intake/Refused", "poll-every: 1h"));
        lines.addAll(List.of(mailboxLines));
        if (lines.stream().noneMatch(l -> l.startsWith("paused:"))) {
            lines.add("paused: true");
        }
        fx = new IntakeFixture(dir).faults(faults).mailbox("support", "entra", ADDRESS, lines.toArray(String[]::new));
        fx.entra().fixedAccessToken(TOKEN);
        user = fx.imapUser(ADDRESS, TOKEN);
        fx.start();
        assertThat(fx.authorize("support", ADDRESS).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    PollSummary poll() throws CollectionFailedException {
        return fx.intake().collection().poll(mailbox(), () -> false);
    }

    MailboxConfig mailbox() {
        return fx.intake().currentConfig().mailbox("support").orElseThrow();
    }

    void deliver(String raw) {
        fx.append(user, "INBOX", raw, Instant.now());
    }

    List<TicketSummary> tickets() {
        return fx.intake().tickets().list(TicketQuery.firstPage(1000));
    }

    @Test
    void aMixedInboxBecomesTicketsFollowupsAndRecordedRefusals() throws Exception {
        start("initial-sync: all", "blocked-senders: [\"*@spam.example\"]", "max-message-size: 200KB");
        byte[] pdf = "%PDF-1.4 test document".getBytes(StandardCharsets.US_ASCII);
        deliver(Mails.plain("Ann <ann@customer.example>", ADDRESS, "Printer broken", "<m1@customer.example>", "It jams."));
        deliver(Mails.html("bob@customer.example", ADDRESS, "VPN down", "<m2@customer.example>",
                "<p>Cannot connect<script>alert(1)</script></p>"));
        deliver(Mails.withAttachment("carol@customer.example", ADDRESS, "Invoice", "<m3@customer.example>", "See attached",
                "invoice.pdf", pdf));
        deliver(Mails.plain("dave@customer.example", ADDRESS, "Out of office", "<m4@customer.example>", "Away",
                "Auto-Submitted: auto-replied"));
        deliver(Mails.plain("news@shop.example", ADDRESS, "Deals", "<m5@shop.example>", "Buy", "Precedence: bulk"));
        deliver(Mails.plain("x@spam.example", ADDRESS, "Spam", "<m6@spam.example>", "spam"));
        deliver(Mails.plain(ADDRESS, ADDRESS, "Loop", "<m7@contoso.com>", "from myself"));
        deliver(Mails.plain("ann@customer.example", ADDRESS, "Huge", "<m8@customer.example>", "x".repeat(300 * 1024)));

        PollSummary first = poll();
        assertThat(first.tickets()).isEqualTo(3);
        assertThat(first.refused()).containsEntry("AUTO_REPLY", 1).containsEntry("BULK", 1)
                .containsEntry("BLOCKED_SENDER", 1).containsEntry("LOOP", 1).containsEntry("OVERSIZE", 1);

        long printer = tickets().stream().filter(t -> t.subject().equals("Printer broken")).findFirst().orElseThrow().number();
        deliver(Mails.plain("ann@customer.example", ADDRESS, "RE: Printer broken [#" + printer + "]", "<m9@customer.example>",
                "Still jams"));
        deliver(Mails.plain("bob@customer.example", ADDRESS, "Re: VPN down", "<m10@customer.example>", "Works now",
                "In-Reply-To: <m2@customer.example>"));
        deliver(Mails.plain("ann@customer.example", ADDRESS, "Printer broken", "<m1@customer.example>", "It jams."));

        PollSummary second = poll();
        assertThat(second.followups()).isEqualTo(2);
        assertThat(second.duplicates()).isEqualTo(1);
        assertThat(second.tickets()).isZero();

        assertThat(tickets()).extracting(TicketSummary::subject).containsExactlyInAnyOrder("Printer broken", "VPN down", "Invoice");
        Ticket invoice = fx.intake().tickets().find(
                tickets().stream().filter(t -> t.subject().equals("Invoice")).findFirst().orElseThrow().number()).orElseThrow();
        assertThat(invoice.attachments()).singleElement().satisfies(a -> {
            assertThat(a.fileName()).isEqualTo("invoice.pdf");
            assertThat(a.size()).isEqualTo(pdf.length);
            assertThat(a.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf)));
        });
        Ticket vpn = fx.intake().tickets().find(
                tickets().stream().filter(t -> t.subject().equals("VPN down")).findFirst().orElseThrow().number()).orElseThrow();
        assertThat(vpn.bodyHtml().orElseThrow()).doesNotContain("script");
        assertThat(vpn.followups()).singleElement().satisfies(f -> assertThat(f.bodyText()).contains("Works now"));
        Ticket printerTicket = fx.intake().tickets().find(printer).orElseThrow();
        assertThat(printerTicket.requester().orElseThrow().name()).contains("Ann");
        assertThat(printerTicket.followups()).hasSize(1);

        // The server: accepted mail (tickets, followups, the duplicate) moved, refused mail moved aside, inbox empty.
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(6);
        assertThat(fx.subjects(user, REFUSED)).containsExactlyInAnyOrder("Out of office", "Deals", "Spam", "Loop", "Huge");
        assertThat(fx.intake().ledger().outcomeCounts("support"))
                .containsEntry(Outcome.TICKET, 3).containsEntry(Outcome.FOLLOWUP, 2).containsEntry(Outcome.DUPLICATE, 1)
                .containsEntry(Outcome.REFUSED, 5);
    }

    @Test
    void aNewlyConnectedMailboxTakesOnlyRecentUnreadMailByDefault() throws Exception {
        start();
        fx.append(user, "INBOX", Mails.plain("a@x.example", ADDRESS, "Ancient", "<old@x>", "2019"),
                Instant.now().minus(Duration.ofDays(400)));
        fx.append(user, "INBOX", Mails.plain("a@x.example", ADDRESS, "Last week", "<week@x>", "recent"),
                Instant.now().minus(Duration.ofDays(8)));
        fx.append(user, "INBOX", Mails.plain("a@x.example", ADDRESS, "Yesterday", "<yday@x>", "recent"),
                Instant.now().minus(Duration.ofDays(1)));

        PollSummary first = poll();
        deliver(Mails.plain("a@x.example", ADDRESS, "Just now", "<now@x>", "new"));
        PollSummary second = poll();

        assertThat(first.tickets()).isEqualTo(1);
        assertThat(second.tickets()).isEqualTo(1);
        assertThat(tickets()).extracting(TicketSummary::subject).containsExactlyInAnyOrder("Yesterday", "Just now");
        // The backlog is left alone: not ticketed, not moved, still unread.
        assertThat(fx.subjects(user, "INBOX")).containsExactly("Ancient", "Last week");
    }

    @Test
    void initialSyncNewIgnoresEverythingAlreadyThere() throws Exception {
        start("initial-sync: new");
        deliver(Mails.plain("a@x.example", ADDRESS, "Before", "<before@x>", "old"));
        assertThat(poll().fetched()).isZero();
        deliver(Mails.plain("a@x.example", ADDRESS, "After", "<after@x>", "new"));
        assertThat(poll().tickets()).isEqualTo(1);
        assertThat(fx.subjects(user, "INBOX")).containsExactly("Before");
    }

    @Test
    void maxPerRunBoundsARunAndTheNextRunContinues() throws Exception {
        start("initial-sync: all", "max-per-run: 4");
        for (int i = 0; i < 10; i++) {
            deliver(Mails.plain("a@x.example", ADDRESS, "Message " + i, "<bounded" + i + "@x>", "body"));
        }
        assertThat(poll().tickets()).isEqualTo(4);
        assertThat(poll().tickets()).isEqualTo(4);
        assertThat(poll().tickets()).isEqualTo(2);
        assertThat(poll().fetched()).isZero();
        assertThat(tickets()).hasSize(10);
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(10);
    }

    @Test
    void malformedMailBecomesATicketAndDoesNotStopTheBatch() throws Exception {
        start("initial-sync: all");
        deliver("From: a@x.example\r\nTo: " + ADDRESS + "\r\nSubject: Broken\r\nMessage-ID: <broken@x>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"nope\"\r\n\r\n--other\r\nContent-Type: text/plain\r\n\r\nhello\r\n");
        deliver(Mails.plain("b@x.example", ADDRESS, "Fine", "<fine@x>", "ok"));

        PollSummary s = poll();

        assertThat(s.tickets()).isEqualTo(2);
        assertThat(s.failed()).isZero();
        assertThat(tickets()).extracting(TicketSummary::subject).containsExactlyInAnyOrder("Broken", "Fine");
    }

    @Test
    void aCrashAfterCommitBeforeTheMoveIsFinishedByTheNextRunWithoutASecondTicket() throws Exception {
        CrashOnce crash = new CrashOnce();
        start(crash, "initial-sync: all");
        for (int i = 0; i < 5; i++) {
            deliver(Mails.plain("a@x.example", ADDRESS, "Crash " + i, "<crash" + i + "@x>", "body"));
        }

        assertThatThrownBy(this::poll).isInstanceOf(CollectionFailedException.class);
        assertThat(tickets()).hasSize(5);
        assertThat(fx.subjects(user, "INBOX")).hasSize(5);

        PollSummary rerun = poll();

        assertThat(rerun.tickets()).isZero();
        assertThat(tickets()).hasSize(5);
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(5);
    }

    @Test
    void theServerDisappearingMidBatchLosesAndDuplicatesNothing() throws Exception {
        start("initial-sync: all", "max-per-run: 500");
        int total = 120;
        for (int i = 0; i < total; i++) {
            deliver(Mails.plain("a@x.example", ADDRESS, "Bulk " + i, "<gone" + i + "@x>", "body " + i));
        }
        ExecutorService watcher = Executors.newSingleThreadExecutor();
        Future<?> cut = watcher.submit(() -> {
            while (fx.intake().tickets().count(TicketQuery.firstPage(1)) < 30) {
                Thread.onSpinWait();
            }
            fx.imapProxy().disappear();
            return null;
        });

        assertThatThrownBy(this::poll).isInstanceOf(CollectionFailedException.class)
                .hasMessageContaining("localhost");
        cut.get(30, TimeUnit.SECONDS);
        watcher.shutdown();
        long committed = tickets().size();
        assertThat(committed).isBetween(30L, (long) total - 1);
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().consecutiveFailures()).isEqualTo(1);

        fx.imapProxy().restore();
        poll();

        assertThat(tickets()).hasSize(total);
        assertThat(tickets()).extracting(TicketSummary::subject).doesNotHaveDuplicates();
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(total);
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().consecutiveFailures()).isZero();
    }

    @Test
    void aSessionEndedMidRunWithAnExpiredTokenReconnectsWithAFreshTokenAndContinues() throws Exception {
        start("initial-sync: all", "max-per-run: 500");
        int total = 120;
        for (int i = 0; i < total; i++) {
            deliver(Mails.plain("a@x.example", ADDRESS, "Token " + i, "<token" + i + "@x>", "body " + i));
        }
        ExecutorService watcher = Executors.newSingleThreadExecutor();
        Future<?> expire = watcher.submit(() -> {
            while (fx.intake().tickets().count(TicketQuery.firstPage(1)) < 30) {
                Thread.onSpinWait();
            }
            // The provider now issues a new token and the server accepts only that one; the session is dropped.
            fx.entra().fixedAccessToken("imap-access-token-2");
            user.setPassword("imap-access-token-2");
            fx.imapProxy().dropConnections();
            return null;
        });

        PollSummary s = poll();
        expire.get(30, TimeUnit.SECONDS);
        watcher.shutdown();

        assertThat(s.tickets()).isEqualTo(total);
        assertThat(tickets()).hasSize(total);
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(total);
    }

    @Test
    void aSessionLostInTheMiddleOfABatchTakesTheBatchAgainAndCountsEachMessageOnce() throws Exception {
        start("initial-sync: all", "max-per-run: 500");
        int total = 70;
        for (int i = 0; i < total; i++) {
            // Message 60 is too large to share a FETCH: it is read on its own, in the middle of the second batch.
            deliver(i == 59
                    ? Mails.withAttachment("a@x.example", ADDRESS, "Lost " + i, "<lost" + i + "@x>", "body", "big.pdf",
                            new byte[5 * 1024 * 1024])
                    : Mails.plain("a@x.example", ADDRESS, "Lost " + i, "<lost" + i + "@x>", "body " + i));
        }
        // The run asks whether to stop before each message; around the 55th the server drops the session, so the
        // large message's FETCH fails while the second batch is processed but not yet committed.
        AtomicInteger asked = new AtomicInteger();
        PollSummary s = fx.intake().collection().poll(mailbox(), () -> {
            if (asked.incrementAndGet() == 56) {
                fx.imapProxy().dropConnections();
            }
            return false;
        });

        assertThat(fx.imapProxy().connectionsRelayed()).as("the run reconnected").isEqualTo(2);
        assertThat(s.fetched()).isEqualTo(total);
        assertThat(s.tickets()).isEqualTo(total);
        assertCollectedOnce(total);
    }

    /** Every message became one ticket, and the server holds them all in the accepted folder. */
    private void assertCollectedOnce(int total) {
        assertThat(tickets()).hasSize(total);
        assertThat(tickets()).extracting(TicketSummary::subject).doesNotHaveDuplicates();
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(total);
    }

    /** Bodies several FETCH groups to a batch. */
    private void deliverGroupedAttachments(String prefix, int count) {
        byte[] attachment = new byte[700 * 1024];
        new java.util.Random(7).nextBytes(attachment);
        for (int i = 0; i < count; i++) {
            deliver(Mails.withAttachment("a@x.example", ADDRESS, prefix + " " + i, "<" + prefix + i + "@x>", "body",
                    "part.bin", attachment));
        }
    }

    @Test
    void aSessionLostBetweenTheGroupsOfABatchTakesTheBatchAgainAndCountsEachMessageOnce() throws Exception {
        start("initial-sync: all", "max-per-run: 500");
        int total = 24;
        assertThat(total * 700L * 1024 * 4 / 3).as("several groups in the batch").isGreaterThan(2 * BatchBodies.GROUP_BYTES);
        deliverGroupedAttachments("Ahead", total);
        AtomicInteger asked = new AtomicInteger();
        PollSummary s = fx.intake().collection().poll(mailbox(), () -> {
            if (asked.incrementAndGet() == 14) {
                fx.imapProxy().dropConnections(); // the batch's third group is still to be fetched
            }
            return false;
        });

        assertThat(fx.imapProxy().connectionsRelayed()).as("the run reconnected").isEqualTo(2);
        assertThat(s.tickets()).isEqualTo(total);
        assertCollectedOnce(total);
    }

    @Test
    void aRunStoppedBetweenTheGroupsOfABatchEndsCleanlyAndTheNextRunTakesTheRest() throws Exception {
        start("initial-sync: all", "max-per-run: 500");
        int total = 24;
        deliverGroupedAttachments("Stopped", total);
        AtomicInteger asked = new AtomicInteger();
        // Files left by earlier processes (a node killed by a process test leaves its own) are not this run's.
        List<Path> spoolsBefore = spoolFiles();

        PollSummary first = fx.intake().collection().poll(mailbox(), () -> asked.incrementAndGet() > 12);
        PollSummary second = poll();

        assertThat(first.tickets()).isBetween(1, total - 1);
        assertThat(first.tickets() + second.tickets()).isEqualTo(total);
        assertThat(tickets()).extracting(TicketSummary::subject).hasSize(total).doesNotHaveDuplicates();
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(spoolFiles()).as("no temporary file left behind").containsExactlyInAnyOrderElementsOf(spoolsBefore);
    }

    private static List<Path> spoolFiles() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("intake-")
                    && f.getFileName().toString().endsWith(".spool")).toList();
        }
    }

    @Test
    void twoTriggersAtOnceMakeOneTicketPerMessage() throws Exception {
        start("initial-sync: all", "max-per-run: 500", "paused: false");
        for (int i = 0; i < 40; i++) {
            deliver(Mails.plain("a@x.example", ADDRESS, "Race " + i, "<race" + i + "@x>", "body"));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> runs = List.of(
                pool.submit(() -> {
                    go.await();
                    fx.intake().mailboxActions().pollNow("support");
                    return null;
                }),
                pool.submit(() -> {
                    go.await();
                    fx.intake().mailboxActions().pollNow("support");
                    return null;
                }));
        go.countDown();
        for (Future<?> r : runs) {
            r.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // Three runs in all: the one that starts with the authorization, and one per trigger; one after the other.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<PollRun> runsSeen = List.of();
        while (System.nanoTime() < deadline) {
            runsSeen = fx.intake().runs().recent("support", 10);
            if (runsSeen.size() == 3 && runsSeen.stream().allMatch(r -> r.finishedAt().isPresent())) {
                break;
            }
            Thread.sleep(100);
        }

        assertThat(runsSeen).hasSize(3).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Optional.of("ok")));
        assertThat(runsSeen.stream().mapToInt(PollRun::tickets).sum()).isEqualTo(40);
        List<PollRun> ordered = new java.util.ArrayList<>(runsSeen);
        java.util.Collections.reverse(ordered);
        for (int i = 1; i < ordered.size(); i++) {
            assertThat(ordered.get(i).startedAt()).isAfterOrEqualTo(ordered.get(i - 1).finishedAt().orElseThrow());
        }
        assertThat(tickets()).hasSize(40);
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(40);
    }

    @Test
    void theSameMessageIdTwiceInOneRunMakesOneTicket() throws Exception {
        start("initial-sync: all");
        deliver(Mails.plain("a@x.example", ADDRESS, "Twice", "<same@x>", "body"));
        deliver(Mails.plain("a@x.example", ADDRESS, "Twice", "<same@x>", "body"));

        PollSummary s = poll();

        assertThat(s.tickets()).isEqualTo(1);
        assertThat(s.duplicates()).isEqualTo(1);
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(2);
    }

    @Test
    void messagesParsedSideBySideAreStoredInTheOrderTheyArrived() throws Exception {
        start("initial-sync: all", "max-message-size: 20MB");
        byte[] slow = new byte[3 * 1024 * 1024];
        new java.util.Random(5).nextBytes(slow);
        // Every other message takes far longer to parse than the next one, so parses finish out of order.
        for (int i = 1; i <= 12; i++) {
            String subject = String.format("M%02d", i);
            if (i % 2 == 1) {
                deliver(Mails.withAttachment("a@x.example", ADDRESS, subject, "<m" + i + "@x>", "b", "big.bin", slow));
            } else {
                deliver(Mails.plain("a@x.example", ADDRESS, subject, "<m" + i + "@x>", "small"));
            }
        }
        deliver(Mails.plain("a@x.example", ADDRESS, "Re: M01", "<reply@x>", "answer", "In-Reply-To: <m1@x>"));
        deliver(Mails.plain("a@x.example", ADDRESS, "M02", "<m2@x>", "small"));

        PollSummary s = poll();

        assertThat(s.tickets()).isEqualTo(12);
        assertThat(s.followups()).isEqualTo(1);
        assertThat(s.duplicates()).isEqualTo(1);
        assertThat(tickets().stream().sorted(java.util.Comparator.comparingLong(TicketSummary::number))
                .map(TicketSummary::subject).toList())
                .as("ticket numbers follow the mailbox's order, not the order parses finished")
                .containsExactly("M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08", "M09", "M10", "M11", "M12");
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
    }

    @Test
    void theAcceptedFolderDeletedBetweenRunsIsMadeAgainAndNothingIsLostOrTicketedTwice() throws Exception {
        start("initial-sync: all");
        deliver(Mails.plain("a@x.example", ADDRESS, "Before", "<before@x>", "body"));
        poll();
        assertThat(fx.subjects(user, ACCEPTED)).containsExactly("Before");

        // Checked once per node, the folder is not looked for again until a move to it fails.
        var manager = fx.greenMail().getManagers().getImapHostManager();
        manager.deleteMailbox(user, ACCEPTED);
        deliver(Mails.plain("a@x.example", ADDRESS, "After", "<after@x>", "body"));
        try {
            poll();
        } catch (CollectionFailedException expected) {
            // The move failed after the commit: the message is recorded, its move pending.
        }
        poll();

        assertThat(fx.subjects(user, ACCEPTED)).containsExactly("After");
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(tickets()).extracting(TicketSummary::subject).containsExactlyInAnyOrder("Before", "After");
    }

    @Test
    void aWronglyRefusedMessageCanBeImportedAnywayOnce() throws Exception {
        start("initial-sync: all");
        deliver(Mails.plain("vip@customer.example", ADDRESS, "Urgent outage", "<vip@x>", "Help", "Precedence: bulk"));
        poll();
        var refused = fx.intake().ledger().processed("support", Optional.of(Outcome.REFUSED), 10);
        assertThat(refused).singleElement().satisfies(r -> {
            assertThat(r.reason()).contains(dev.intake.app.mail.RefusalReason.BULK);
            assertThat(r.rawKept()).isTrue();
        });

        long number = fx.intake().imports().importAnyway(refused.get(0).id(), "admin");

        Ticket t = fx.intake().tickets().find(number).orElseThrow();
        assertThat(t.subject()).isEqualTo("Urgent outage");
        assertThat(t.bodyText()).contains("Help");
        assertThat(fx.intake().ledger().processed("support", Optional.of(Outcome.REFUSED), 10)).isEmpty();
        assertThatThrownBy(() -> fx.intake().imports().importAnyway(refused.get(0).id(), "admin"))
                .hasMessageContaining("not a refusal");
    }

    @Test
    void anAdminPauseStopsScheduledCollectionUntilResumed() throws Exception {
        start("initial-sync: all", "paused: false");
        assertThat(fx.intake().schedule().scheduledMailboxes()).contains("support");

        fx.intake().mailboxActions().setPaused("support", true);

        assertThat(fx.intake().schedule().scheduledMailboxes()).doesNotContain("support");
        assertThat(fx.intake().statuses().find("support").orElseThrow().display()).isEqualTo("paused");
        fx.intake().mailboxActions().setPaused("support", false);
        assertThat(fx.intake().schedule().scheduledMailboxes()).contains("support");
        assertThat(fx.intake().statuses().find("support").orElseThrow().display()).isEqualTo("active");
    }

    @Test
    void aRunWorksOverOneImapConnection() throws Exception {
        start("initial-sync: all");
        for (int i = 0; i < 3; i++) {
            deliver(Mails.plain("a@x.example", ADDRESS, "One connection " + i, "<conn" + i + "@x>", "body"));
        }

        PollSummary s = poll();

        assertThat(s.tickets()).isEqualTo(3);
        assertThat(fx.subjects(user, ACCEPTED)).hasSize(3);
        // Folders checked, messages read several per command, moved: all on the session's one connection.
        assertThat(fx.imapProxy().connectionsRelayed()).isEqualTo(1);
    }

    @Test
    void messagesOfEverySizeBecomeTicketsWithTheirAttachmentsIntact() throws Exception {
        start("initial-sync: all", "max-message-size: 20MB");
        java.util.Random random = new java.util.Random(3);
        byte[] small = new byte[10_000];
        // In memory with a few others (over the 1 MB kept in memory, under the 4 MB read several at a time)...
        byte[] medium = new byte[2 * 1024 * 1024];
        // ...and streamed by itself into a temporary file.
        byte[] large = new byte[(int) BatchBodies.GROUP_MESSAGE_MAX];
        random.nextBytes(small);
        random.nextBytes(medium);
        random.nextBytes(large);
        deliver(Mails.withAttachment("a@x.example", ADDRESS, "Small", "<small@x>", "s", "small.pdf", small));
        deliver(Mails.withAttachment("b@x.example", ADDRESS, "Medium", "<medium@x>", "m", "medium.pdf", medium));
        deliver(Mails.plain("c@x.example", ADDRESS, "Between", "<between@x>", "no attachment"));
        deliver(Mails.withAttachment("d@x.example", ADDRESS, "Large", "<large@x>", "l", "large.pdf", large));

        PollSummary s = poll();

        assertThat(s.tickets()).isEqualTo(4);
        for (var expected : List.of(java.util.Map.entry("Small", small), java.util.Map.entry("Medium", medium),
                java.util.Map.entry("Large", large))) {
            Ticket t = fx.intake().tickets().find(tickets().stream()
                    .filter(x -> x.subject().equals(expected.getKey())).findFirst().orElseThrow().number()).orElseThrow();
            assertThat(t.attachments()).singleElement().satisfies(a -> {
                assertThat(a.size()).isEqualTo(expected.getValue().length);
                assertThat(a.sha256()).isEqualTo(HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(expected.getValue())));
            });
        }
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
    }

    @Test
    void aChangedUidValidityIsRecognisedAndNothingIsTicketedTwice() throws Exception {
        start("initial-sync: all", "folder: Support");
        fx.append(user, "Support", Mails.plain("a@x.example", ADDRESS, "First", "<uv1@x>", "one"), Instant.now());
        fx.append(user, "Support", Mails.plain("a@x.example", ADDRESS, "Second", "<uv2@x>", "two"), Instant.now());
        assertThat(poll().tickets()).isEqualTo(2);

        // The server renumbers the folder (new UIDVALIDITY): the same two messages come back unread, plus a new one.
        var manager = fx.greenMail().getManagers().getImapHostManager();
        long before = manager.getFolder(user, "Support").getUidValidity();
        manager.deleteMailbox(user, "Support");
        // GreenMail derives UIDVALIDITY from the clock: recreate the folder until it really is a new value.
        for (int i = 0; i < 100 && manager.createMailbox(user, "Support").getUidValidity() == before; i++) {
            manager.deleteMailbox(user, "Support");
            Thread.sleep(50);
        }
        assertThat(manager.getFolder(user, "Support").getUidValidity()).isNotEqualTo(before);
        fx.append(user, "Support", Mails.plain("a@x.example", ADDRESS, "First", "<uv1@x>", "one"), Instant.now());
        fx.append(user, "Support", Mails.plain("a@x.example", ADDRESS, "Second", "<uv2@x>", "two"), Instant.now());
        fx.append(user, "Support", Mails.plain("a@x.example", ADDRESS, "Third", "<uv3@x>", "three"), Instant.now());

        PollSummary after = poll();

        assertThat(after.tickets()).isEqualTo(1);
        assertThat(after.duplicates()).isEqualTo(2);
        assertThat(tickets()).extracting(TicketSummary::subject).containsExactlyInAnyOrder("First", "Second", "Third");
        assertThat(fx.subjects(user, "Support")).isEmpty();
    }

    /** Dies (throws) once, after the first batch is committed and before its post-actions. */
    static final class CrashOnce implements FaultPoints {
        private boolean crashed;

        @Override
        public void beforePostActions() {
            if (!crashed) {
                crashed = true;
                throw new IllegalStateException("simulated crash after commit");
            }
        }
    }
}
