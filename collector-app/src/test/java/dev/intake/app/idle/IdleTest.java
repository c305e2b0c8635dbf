package dev.intake.app.idle;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.status.IdleStatus;
import dev.intake.app.support.IntakeFixture;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketSummary;
import dev.intake.testing.Browser;
import dev.intake.testing.Mails;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMAP IDLE end to end: a running Intake, GreenMail over IMAPS with XOAUTH2 (which supports IDLE), the fake Entra
 * token endpoint, and a relay in between that can make the server say BYE, drop the connection or hide IDLE. The
 * scheduled safety-net poll is an hour away, so whatever is collected within the test was collected by IDLE (or by
 * the fallback's polling, where the server lacks IDLE). Timeouts are generous: they say "eventually", not how fast.
 */
class IdleTest {

    static final String ADDRESS = "support@contoso.com";
    static final String TOKEN = "imap-access-token-idle";
    static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    IntakeFixture fx;
    GreenMailUser user;
    int sent;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    void start(java.util.function.Consumer<IntakeFixture> before, String... extraLines) {
        List<String> lines = new ArrayList<>(List.of("mode: idle", "initial-sync: all", "idle-safety-poll-every: 1h",
                "accepted-folder: Intake/Accepted"));
        lines.addAll(List.of(extraLines));
        fx = new IntakeFixture(dir).withImapRelay().yaml("operations:\n  reload-check-every: 100ms\n")
                .mailbox("support", "entra", ADDRESS, lines.toArray(String[]::new));
        fx.entra().fixedAccessToken(TOKEN);
        user = fx.imapUser(ADDRESS, TOKEN);
        before.accept(fx);
        fx.start();
        assertThat(fx.authorize("support", ADDRESS).status()).isEqualTo(200);
    }

    void start(String... extraLines) {
        start(f -> { }, extraLines);
    }

    IdleStatus idle() {
        return fx.intake().statuses().find("support").orElseThrow().idle().orElseThrow();
    }

    void awaitIdleState(String state) {
        await("the mailbox's IDLE state becomes " + state, () -> fx.intake().statuses().find("support")
                .flatMap(s -> s.idle()).map(IdleStatus::state).orElse("").equals(state));
    }

    String send(String subject) {
        sent++;
        String messageId = "<idle-" + sent + "@x.example>";
        fx.append(user, "INBOX", Mails.plain("customer@x.example", ADDRESS, subject, messageId, "Hello " + sent),
                Instant.now());
        return subject;
    }

    long tickets() {
        return fx.intake().tickets().count(TicketQuery.firstPage(1));
    }

    List<String> ticketSubjects() {
        return fx.intake().tickets().list(TicketQuery.firstPage(100)).stream().map(TicketSummary::subject).sorted().toList();
    }

    void awaitTickets(long n) {
        await(n + " ticket(s) committed", () -> tickets() >= n);
    }

    /** Nothing more arrives after a while, and a poll of everything finds nothing left: no loss, no duplicate. */
    void assertExactlyOneTicketEach(String... subjects) throws Exception {
        Thread.sleep(1500);
        fx.intake().collection().poll(fx.intake().currentConfig().mailbox("support").orElseThrow(), () -> false);
        assertThat(ticketSubjects()).containsExactlyInAnyOrder(subjects);
        assertThat(fx.subjects(user, "INBOX")).isEmpty();
        assertThat(fx.subjects(user, "Intake.Accepted")).containsExactlyInAnyOrder(subjects);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + "s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void newMailBecomesATicketAsSoonAsTheServerAnnouncesIt() throws Exception {
        start();
        awaitIdleState("idling");
        assertThat(idle().summary()).startsWith("idling on node ");
        assertThat(idle().node()).isPresent();

        String first = send("Printer on fire");
        awaitTickets(1);
        String second = send("Printer still on fire");
        awaitTickets(2);

        assertExactlyOneTicketEach(first, second);
        assertThat(fx.intake().runs().recent("support", 10)).allSatisfy(r -> assertThat(r.outcome()).contains("ok"));
    }

    @Test
    void theMailboxPageAndTheApiShowWhereAndSinceWhenItIdles() {
        start();
        awaitIdleState("idling");

        Browser browser = fx.signedInBrowser();
        String page = browser.open(fx.url("/mailboxes/support")).body();
        String api = browser.open(fx.url("/api/mailboxes")).body();

        assertThat(page).contains("IDLE").contains("idling on node " + idle().node().orElseThrow());
        assertThat(api).contains("\"mode\":\"idle\"").contains("\"state\":\"idling\"")
                .contains("\"node\":\"" + idle().node().orElseThrow() + "\"");
    }

    @Test
    void aByeFromTheServerIsReconnectedWithAFreshTokenWithoutLosingOrRepeatingMail() throws Exception {
        start();
        awaitIdleState("idling");
        String before = send("Before the BYE");
        awaitTickets(1);
        int connections = fx.imapRelay().connectionsRelayed();
        int issued = fx.entra().issuedAccessTokens().size();

        fx.imapRelay().sayByeAndHangUp("[UNAVAILABLE] Session invalidated - AccessTokenExpired");
        String during = send("While reconnecting");

        awaitTickets(2);
        await("a new IDLE connection", () -> fx.imapRelay().connectionsRelayed() > connections);
        awaitIdleState("idling");
        assertThat(fx.entra().issuedAccessTokens().size()).as("the expired token is not reused").isGreaterThan(issued);
        String after = send("After the BYE");
        awaitTickets(3);

        assertExactlyOneTicketEach(before, during, after);
    }

    @Test
    void aDroppedConnectionIsReconnectedWithoutLosingOrRepeatingMail() throws Exception {
        start();
        awaitIdleState("idling");
        String before = send("Before the drop");
        awaitTickets(1);

        fx.imapProxy().dropConnections();
        String during = send("During the drop");
        awaitTickets(2);
        awaitIdleState("idling");
        String after = send("After the drop");
        awaitTickets(3);

        assertExactlyOneTicketEach(before, during, after);
    }

    @Test
    void whileTheServerIsUnreachableTheStateSaysSoAndIdlingResumesWhenItIsBack() throws Exception {
        start();
        awaitIdleState("idling");

        fx.imapProxy().disappear();
        awaitIdleState("reconnecting");
        assertThat(idle().summary()).contains("reconnecting on node").contains("Reconnecting in");
        String during = send("Sent while the server was away");
        fx.imapProxy().restore();

        awaitIdleState("idling");
        awaitTickets(1);
        assertExactlyOneTicketEach(during);
    }

    @Test
    void theConnectionIsRenewedWithAFreshTokenBeforeTheTokenExpires() throws Exception {
        // Tokens that live 4 s: the connection must be renewed every couple of seconds, always with a fresh token.
        start(f -> f.entra().accessTokenLifetime(Duration.ofSeconds(4)));
        awaitIdleState("idling");
        int connections = fx.imapRelay().connectionsRelayed();
        int issued = fx.entra().issuedAccessTokens().size();

        // Each renewal logs in with a fresh token on a new connection (and the catch-up run after it opens another).
        await("two renewals, each with a fresh token", () -> fx.imapRelay().connectionsRelayed() >= connections + 4
                && fx.entra().issuedAccessTokens().size() >= issued + 2);
        awaitIdleState("idling");
        String renewed = send("After the renewals");
        awaitTickets(1);

        assertExactlyOneTicketEach(renewed);
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().consecutiveFailures()).isZero();
    }

    @Test
    void anAppWhoseSecretIsRefusedBacksOffAndTriesAgainAsSoonAsTheFixedSecretIsLoaded() throws Exception {
        fx = new IntakeFixture(dir).withImapRelay().yaml("operations:\n  reload-check-every: 100ms\n")
                .provider("entra", "auth: app")
                .mailbox("support", "entra", ADDRESS, "mode: idle", "initial-sync: all", "idle-safety-poll-every: 1h",
                        "accepted-folder: Intake/Accepted");
        fx.entra().fixedAccessToken(TOKEN);
        user = fx.imapUser(ADDRESS, TOKEN);
        fx.writeSecret("entra-secret", "a-secret-that-expired-last-week");
        fx.start();

        // Refused again and again, the pauses double (1, 2, 4, 8 s): the fifth waits 16 s, or for the fixed secret.
        await("the fifth pause after the refusal", () -> fx.intake().statuses().find("support")
                .flatMap(st -> st.idle()).map(IdleStatus::summary).orElse("").contains("Reconnecting in 16s"));
        assertThat(idle().summary()).contains("or as soon as the configuration changes");
        long fixedAt = System.nanoTime();
        fx.writeSecret("entra-secret", IntakeFixture.ENTRA_SECRET);

        awaitIdleState("idling");
        assertThat(Duration.ofNanos(System.nanoTime() - fixedAt)).as("the reload ended the 16 s pause")
                .isLessThan(Duration.ofSeconds(10));
        send("Invoice question");
        awaitTickets(1);
    }

    @Test
    void aServerWithoutIdleIsPolledInsteadAndTheStateSaysWhy() throws Exception {
        start(f -> f.imapRelay().hideCapability("IDLE"), "poll-every: 1s");

        awaitIdleState("fallback");
        assertThat(idle().summary()).contains("polling every 1s").contains("does not offer IDLE");
        String polled = send("Collected by polling");
        awaitTickets(1);

        assertExactlyOneTicketEach(polled);
    }

    @Test
    void aReloadThatTurnsIdleOffEndsTheIdleAndAStopLeavesNoConnectionOpen() {
        start();
        awaitIdleState("idling");
        assertThat(fx.imapRelay().openConnections()).isGreaterThanOrEqualTo(1);

        fx.writeConfigText(fx.configFileText().replace("    mode: idle\n", "").replace("    idle-safety-poll-every: 1h\n",
                "    poll-every: 1h\n"));
        await("the reload applied", () -> !fx.intake().currentConfig().mailbox("support").orElseThrow().idles());
        await("the IDLE connection closed", () -> fx.imapRelay().openConnections() == 0);
        assertThat(fx.intake().statuses().find("support").orElseThrow().idle()).isEqualTo(Optional.empty());

        fx.writeConfigText(fx.configFileText().replace("    poll-every: 1h\n", "    mode: idle\n    poll-every: 1h\n"));
        awaitIdleState("idling");
        fx.stop();
        await("no connection left open", () -> fx.imapRelay().openConnections() == 0);
    }
}
