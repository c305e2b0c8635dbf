package dev.intake.app.process;

import static dev.intake.app.process.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.testing.Mails;
import dev.intake.testing.Browser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * How a single node on the embedded default (an H2 file) stops: SIGTERM finishes the message in hand, commits,
 * closes the IMAP session, stops Quartz and exits 0. (SIGKILL at any moment: {@link H2KillSoakProcessIT}.) Progress is watched on the IMAP server (in the test JVM); the database is read after the node
 * has exited, since an H2 file belongs to one process at a time.
 */
class StopAndCrashProcessIT {

    static final String ENTRA_BOX = "helpdesk";

    ProcessFixture bed;
    final Set<String> messageIds = new TreeSet<>();

    @BeforeEach
    void testbed(TestInfo test) {
        bed = ProcessFixture.onH2(test.getTestMethod().orElseThrow().getName());
        // See ClusterProcessIT: a kill between the provider's answer and the commit of a rotated refresh token is a
        // window no client can close against a provider that refuses a used refresh token at once.
        bed.entra().rotateRefreshTokens(false);
        bed.operations("scheduler-threads: 2", "shutdown-grace: 30s");
    }

    @AfterEach
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void sigtermFinishesTheMessageInHandCommitsAndExitsZero() {
        bed.mailbox(ENTRA_BOX, "entra", address(ENTRA_BOX), "accepted-folder: Intake/Accepted", "initial-sync: all",
                "poll-every: 1s", "max-per-run: 1000");
        deliver(ENTRA_BOX, "m", 250);
        NodeProcess node = bed.start("single");
        authorize(node, ENTRA_BOX, "entra");
        await("the run to be past its first batch", () -> bed.count(address(ENTRA_BOX), ProcessFixture.ACCEPTED) >= 50);

        assertThat(node.terminate(Duration.ofSeconds(45))).as("exit code after SIGTERM").contains(0);

        int accepted = bed.count(address(ENTRA_BOX), ProcessFixture.ACCEPTED);
        int left = bed.count(address(ENTRA_BOX), "INBOX");
        assertThat(left).as("messages not yet collected: the run stopped early").isPositive();
        assertThat(accepted + left).isEqualTo(250);
        CollectionLedger ledger = bed.ledger();
        // Everything committed was also moved on the server before the exit, and nothing else was committed.
        assertThat(ledger.tickets()).isEqualTo(accepted);
        assertThat(ledger.processed()).isEqualTo(accepted);
        assertThat(ledger.pendingPostActions()).isZero();
        assertThat(ledger.runs()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.finishedAt()).as("run %s recorded as finished", r).isPresent();
            assertThat(r.outcome()).contains("ok");
        });
        assertThat(ledger.firedTriggers()).as("Quartz work left for recovery").isZero();
        assertThat(node.log()).contains("Stopping: taking no new runs").contains("Intake stopped");

        NodeProcess again = bed.start("single");
        await("the rest to be collected after the restart", () -> bed.count(address(ENTRA_BOX), "INBOX") == 0);
        assertThat(again.terminate(Duration.ofSeconds(45))).contains(0);
        assertEveryMessageTicketedOnce(Map.of(ENTRA_BOX, 250));
    }

    @Test
    void sigtermWithARunStuckOnAHungServerStillExitsAfterTheGracePeriod() throws Exception {
        try (HungServer hung = new HungServer()) {
            bed.mailbox(ENTRA_BOX, "entra", address(ENTRA_BOX), "imap-port: " + hung.port(), "poll-every: 1s");
            bed.operations("shutdown-grace: 2s");
            NodeProcess node = bed.start("single");
            authorize(node, ENTRA_BOX, "entra");
            await("a run to be stuck waiting for the server", () -> hung.connections() > 0);

            long start = System.nanoTime();
            assertThat(node.terminate(Duration.ofSeconds(40))).as("exit code after SIGTERM").contains(0);
            // The IMAP read timeout is 60s: the node did not wait for it, only for the grace period (and the pool's
            // own bounded close). A generous bound, to stay clear of a busy machine's pauses.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(node.log()).contains("Runs still in progress after 2s; stopping anyway");
        }
    }

    @Test
    void aSecondNodeOnTheSameH2FileRefusesToStartAndSaysWhatToDo() {
        NodeProcess first = bed.start("first");
        NodeProcess second = bed.launch("second");

        assertThat(second.awaitExitCode(Duration.ofSeconds(60))).as("exit code of the second node").contains(2);
        assertThat(second.log()).contains("already open in another Intake process").contains("PostgreSQL");
        assertThat(first.readyStatus()).contains(200);
        assertThat(first.terminate(Duration.ofSeconds(45))).contains(0);
    }

    private void assertEveryMessageTicketedOnce(Map<String, Integer> perMailbox) {
        CollectionLedger ledger = bed.ledger();
        assertThat(ledger.ticketsPerMessageId()).containsOnlyKeys(messageIds).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(ledger.processedPerOutcome()).containsOnly(Map.entry("TICKET", (long) messageIds.size()));
        assertThat(ledger.pendingPostActions()).isZero();
        perMailbox.forEach((mailbox, total) -> {
            assertThat(bed.count(address(mailbox), "INBOX")).as("%s INBOX", mailbox).isZero();
            assertThat(bed.count(address(mailbox), ProcessFixture.ACCEPTED)).as("%s accepted", mailbox).isEqualTo(total);
        });
    }

    private void authorize(NodeProcess node, String mailbox, String provider) {
        bed.signingInAs(provider, address(mailbox));
        Browser.Page page = CrossNodeSignIn.authorize(mailbox, node, node);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Mailbox authorized");
    }

    private void deliver(String mailbox, String prefix, int count) {
        for (int i = 1; i <= count; i++) {
            String id = "<" + prefix + i + "@customer.example>";
            bed.deliver(address(mailbox), Mails.plain("Customer <c" + i + "@customer.example>", address(mailbox),
                    "Request " + prefix + i, id, "Body of request " + i + ".\r\n" + "Some detail. ".repeat(40)));
            messageIds.add(id);
        }
    }

    private static String address(String mailboxId) {
        return mailboxId + "@contoso.com";
    }

    /** An IMAP server that accepts connections and never says a word, as a hung server or a black-holed route. */
    static final class HungServer implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        HungServer() throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        held.add(listener.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "hung-imap-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        int connections() {
            return held.size();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
