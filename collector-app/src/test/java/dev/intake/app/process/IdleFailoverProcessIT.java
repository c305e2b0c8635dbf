package dev.intake.app.process;

import static dev.intake.app.process.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.testing.Browser;
import dev.intake.testing.Mails;
import dev.intake.testing.PostgresDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * IMAP IDLE on a cluster, as an operator runs it: two nodes (the built jar, separate JVMs) on one PostgreSQL
 * database, a mailbox in {@code mode: idle}. Exactly one node idles for it; when that node is killed with kill -9
 * the other takes the IDLE over and collects new mail, each message exactly once. The safety-net poll is an hour
 * away, so the mail of this test is collected by IDLE.
 */
class IdleFailoverProcessIT {

    static final String MAILBOX = "idler";
    static final String ADDRESS = "idler@contoso.com";

    PostgresDatabase database;
    ProcessFixture bed;
    final Map<String, NodeProcess> nodeById = new HashMap<>();
    int delivered;

    @BeforeEach
    void createDatabase(TestInfo test) {
        database = PostgresDatabase.create();
        bed = ProcessFixture.onPostgres(test.getTestMethod().orElseThrow().getName(), database.url(), database.user());
    }

    @AfterEach
    void dropDatabase() {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            database.close();
        }
    }

    @Test
    void exactlyOneNodeIdlesAndAfterKillMinus9TheOtherTakesOverAndCollects() {
        bed.mailbox(MAILBOX, "entra", ADDRESS, "mode: idle", "idle-safety-poll-every: 1h", "initial-sync: all",
                "accepted-folder: Intake/Accepted");
        bed.operations("scheduler-threads: 2", "shutdown-grace: 20s");
        NodeProcess a = startNode("a");
        NodeProcess b = startNode("b");
        bed.signingInAs("entra", ADDRESS);
        Browser.Page page = CrossNodeSignIn.authorize(MAILBOX, a, b);
        assertThat(page.body()).contains("Mailbox authorized");
        CollectionLedger ledger = bed.ledger();

        CollectionLedger.Lease first = awaitIdling(ledger, Set.of(a, b));
        NodeProcess holder = nodeById.get(first.node());
        NodeProcess other = holder == a ? b : a;
        assertThat(holder.log()).contains("Idling for mailbox '" + MAILBOX + "'");
        assertThat(other.log()).as("the node without the lease").doesNotContain("Idling for mailbox '" + MAILBOX + "'");

        deliver("Before the kill");
        await("the first message ticketed", () -> ledger.tickets() == 1 && ticketsInFinishedRuns(ledger) == 1);
        assertThat(lastRunWithTickets(ledger).node()).as("collected by the idling node").isEqualTo(first.node());

        holder.kill();
        Instant death = Instant.now();
        deliver("While the idling node is dead");
        CollectionLedger.Lease second = awaitIdling(ledger, Set.of(other));
        System.out.printf("IDLE taken over %d ms after the kill%n", Duration.between(death, Instant.now()).toMillis());
        await("the message sent while the idling node was dead ticketed", () -> ledger.tickets() == 2);
        deliver("After the takeover");
        await("the message sent after the takeover ticketed", () -> ledger.tickets() == 3
                && ticketsInFinishedRuns(ledger) == 3);
        assertThat(lastRunWithTickets(ledger).node()).isEqualTo(second.node());

        assertThat(other.terminate(Duration.ofSeconds(40))).as("exit code after SIGTERM").contains(0);
        assertThat(ledger.idleLeases()).as("a clean stop gives the lease up").isEmpty();
        assertThat(ledger.ticketsPerMessageId()).hasSize(3).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(ledger.pendingPostActions()).isZero();
        assertThat(ledger.overlaps(Map.of(first.node(), death))).as("runs of one mailbox that overlapped").isEmpty();
        assertThat(bed.count(ADDRESS, "INBOX")).isZero();
        assertThat(bed.count(ADDRESS, ProcessFixture.ACCEPTED)).isEqualTo(3);
    }

    private CollectionLedger.Lease awaitIdling(CollectionLedger ledger, Set<NodeProcess> candidates) {
        Set<String> ids = new HashSet<>();
        nodeById.forEach((id, node) -> {
            if (candidates.contains(node)) {
                ids.add(id);
            }
        });
        await("a node of " + candidates + " to idle", () -> {
            List<CollectionLedger.Lease> leases = ledger.idleLeases();
            return leases.size() == 1 && ids.contains(leases.get(0).node()) && leases.get(0).state().equals("IDLING");
        });
        return ledger.idleLeases().get(0);
    }

    private static int ticketsInFinishedRuns(CollectionLedger ledger) {
        return ledger.runs().stream().filter(r -> r.finishedAt().isPresent()).mapToInt(CollectionLedger.Run::tickets).sum();
    }

    private static CollectionLedger.Run lastRunWithTickets(CollectionLedger ledger) {
        List<CollectionLedger.Run> runs = ledger.runs().stream().filter(r -> r.tickets() > 0).toList();
        return runs.get(runs.size() - 1);
    }

    private void deliver(String subject) {
        delivered++;
        bed.deliver(ADDRESS, Mails.plain("Customer <c@customer.example>", ADDRESS, subject,
                "<idle-" + delivered + "@customer.example>", "Please help."));
    }

    /** Starts a node and learns its instance id (the node of its runs and leases) from the scheduler table. */
    private NodeProcess startNode(String name) {
        CollectionLedger ledger = bed.ledger();
        Set<String> before = new HashSet<>(ledger.schedulerInstances());
        NodeProcess node = bed.start(name);
        Set<String> fresh = new HashSet<>();
        await("node " + name + " to check in with the cluster", () -> {
            fresh.clear();
            fresh.addAll(ledger.schedulerInstances());
            fresh.removeAll(before);
            fresh.removeAll(nodeById.keySet());
            return fresh.size() == 1;
        });
        nodeById.put(fresh.iterator().next(), node);
        return node;
    }
}
