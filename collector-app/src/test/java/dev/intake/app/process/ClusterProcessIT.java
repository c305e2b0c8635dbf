package dev.intake.app.process;

import static dev.intake.app.process.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.testing.Mails;
import dev.intake.testing.PostgresDatabase;
import dev.intake.testing.Browser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Several real Intake nodes (separate JVMs running the built jar) on one throwaway PostgreSQL database, collecting
 * GreenMail mailboxes authorized through the fake providers. The nodes coordinate only through PostgreSQL: Quartz's
 * clustered job store, row locks, and the processed-message records. The tests judge them by what is in the database
 * and on the IMAP server afterwards.
 */
class ClusterProcessIT {

    PostgresDatabase database;
    ProcessFixture bed;
    final Map<NodeProcess, String> instanceIds = new HashMap<>();

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
    void threeNodesTicketEveryMessageOnceAndTheSurvivorsFinishTheMailboxesOfAKilledNode() {
        // The fake's strict rotation refuses a refresh token the moment it has been used once. A node killed between
        // the provider's answer and the commit of the rotated grant would then leave a grant no client could use;
        // that window is out of any program's hands, so this test keeps it out of play (rotation across nodes is
        // proven, without kills, by the next test).
        bed.entra().rotateRefreshTokens(false);
        List<String> mailboxes = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String id = String.format("mbox%02d", i);
            mailboxes.add(id);
            bed.mailbox(id, provider(i), address(id), "accepted-folder: Intake/Accepted", "refused-folder: Intake/Refused",
                    "initial-sync: all", "poll-every: 2s", "max-per-run: 10");
        }
        bed.operations("scheduler-threads: 2", "shutdown-grace: 20s");
        Map<String, Integer> delivered = new LinkedHashMap<>();
        Set<String> messageIds = new TreeSet<>();
        deliverWave(mailboxes, "first", 15, delivered, messageIds);

        List<NodeProcess> nodes = List.of(startNode("a"), startNode("b"), startNode("c"));
        for (int i = 0; i < mailboxes.size(); i++) {
            authorizeAcross(mailboxes.get(i), provider(i + 1), nodes.get(i % 3), nodes.get((i + 1) % 3));
        }
        CollectionLedger ledger = bed.ledger();
        assertThat(ledger.mailboxStates().values()).hasSize(20).containsOnly("ACTIVE");

        // kill -9 node c while it is collecting, with most of the mail still to do
        NodeProcess victim = nodes.get(2);
        String victimId = instanceIds.get(victim);
        await("node c to be in the middle of a run", () -> {
            assertThat(ledger.tickets()).as("tickets before node c had a run open").isLessThan(messageIds.size());
            return ledger.tickets() >= 30 && ledger.runsOf(victimId).stream().anyMatch(r -> r.finishedAt().isEmpty());
        });
        victim.kill();
        Instant death = Instant.now();
        Set<String> cut = ledger.runsOf(victimId).stream().filter(r -> r.finishedAt().isEmpty())
                .map(CollectionLedger.Run::mailboxId).collect(Collectors.toSet());
        assertThat(cut).as("mailboxes whose run node c was in when it was killed").isNotEmpty();
        assertThat(ledger.tickets()).isLessThan(messageIds.size());

        // mail keeps arriving while c is dead; a and b collect everything, c's interrupted mailboxes included
        deliverWave(mailboxes, "second", 3, delivered, messageIds);
        await("the survivors to collect every message", () -> ledger.tickets() == messageIds.size()
                && mailboxes.stream().allMatch(m -> bed.count(address(m), "INBOX") == 0));
        Set<String> survivors = Set.of(instanceIds.get(nodes.get(0)), instanceIds.get(nodes.get(1)));
        for (String mailbox : cut) {
            List<CollectionLedger.Run> after = ledger.runs().stream()
                    .filter(r -> r.mailboxId().equals(mailbox) && r.startedAt().isAfter(death)).toList();
            assertThat(after).as("runs of %s after node c died", mailbox).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.node()).isIn(survivors));
            Duration failover = Duration.between(death, after.get(0).startedAt());
            System.out.printf("%s: first run after the kill began %d ms after it%n", mailbox, failover.toMillis());
            // Quartz declares a node dead after its check-in interval (2 s) plus 7.5 s; loose for a busy machine.
            assertThat(failover).as("time until a survivor took over %s", mailbox).isLessThan(Duration.ofSeconds(45));
        }

        // c comes back (a new Quartz instance) and takes its share again; nothing is collected twice
        NodeProcess restarted = startNode("c");
        deliverWave(mailboxes, "third", 1, delivered, messageIds);
        await("the restarted node to complete runs and all mail to be collected", () ->
                ledger.runsOf(instanceIds.get(restarted)).stream().filter(r -> r.finishedAt().isPresent()).count() >= 5
                        && ledger.tickets() == messageIds.size()
                        && mailboxes.stream().allMatch(m -> bed.count(address(m), "INBOX") == 0));

        for (NodeProcess node : List.of(nodes.get(0), nodes.get(1), restarted)) {
            assertThat(node.terminate(Duration.ofSeconds(40))).as("exit code of %s after SIGTERM", node).contains(0);
        }

        assertThat(ledger.ticketsPerMessageId()).containsOnlyKeys(messageIds).allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(ledger.processedPerOutcome()).containsOnly(Map.entry("TICKET", (long) messageIds.size()));
        assertThat(ledger.pendingPostActions()).isZero();
        assertThat(ledger.overlaps(Map.of(victimId, death))).as("runs of one mailbox that overlapped").isEmpty();
        assertThat(ledger.runs()).filteredOn(r -> r.finishedAt().isEmpty())
                .allSatisfy(r -> assertThat(r.node()).isEqualTo(victimId));
        assertThat(ledger.runs()).filteredOn(r -> r.finishedAt().isPresent())
                .allSatisfy(r -> assertThat(r.outcome()).as("run %s", r).contains("ok"));
        assertThat(ledger.runs().stream().map(CollectionLedger.Run::node).collect(Collectors.toSet()))
                .as("every node took runs").containsAll(instanceIds.values());
        assertThat(ledger.firedTriggers()).as("Quartz work left behind after a clean stop: %s", ledger.firedTriggerRows())
                .isZero();
        assertThat(ledger.mailboxStates().values()).containsOnly("ACTIVE");
        for (String m : mailboxes) {
            assertThat(bed.count(address(m), "INBOX")).as("%s INBOX", m).isZero();
            assertThat(bed.count(address(m), ProcessFixture.ACCEPTED)).as("%s accepted folder", m).isEqualTo(delivered.get(m));
        }
    }

    @Test
    void aRefreshTokenRotatedByOneNodeIsTheOneTheOtherUsesNextAndASecretRotationReachesEveryNode() {
        // Access tokens shorter than Intake's refresh margin: every run refreshes, on whichever node it lands, and
        // each refresh rotates the refresh token; the fake refuses any refresh token once it has been rotated away.
        bed.entra().accessTokenLifetime(Duration.ofMinutes(1));
        List<String> mailboxes = List.of("rot1", "rot2", "rot3", "rot4");
        for (String id : mailboxes) {
            bed.mailbox(id, "entra", address(id), "accepted-folder: Intake/Accepted", "initial-sync: all", "poll-every: 1s");
        }
        bed.operations("scheduler-threads: 2", "reload-check-every: 200ms", "shutdown-grace: 20s");
        List<NodeProcess> nodes = List.of(startNode("a"), startNode("b"));
        for (int i = 0; i < mailboxes.size(); i++) {
            authorizeAcross(mailboxes.get(i), "entra", nodes.get(i % 2), nodes.get((i + 1) % 2));
        }
        CollectionLedger ledger = bed.ledger();

        // Quartz does not promise which node fires a trigger; the runs must simply come from both nodes, refreshing
        // (and so rotating) each time, so that each node goes on from refresh tokens the other one rotated.
        await("runs on both nodes, refreshing each time", () -> {
            List<CollectionLedger.Run> done = ledger.runs().stream().filter(r -> r.outcome().isPresent()).toList();
            Set<String> nodesSeen = done.stream().map(CollectionLedger.Run::node).collect(Collectors.toSet());
            Map<String, Long> perMailbox = done.stream()
                    .collect(Collectors.groupingBy(CollectionLedger.Run::mailboxId, Collectors.counting()));
            return bed.entra().tokenRequests("refresh_token") >= 30 && nodesSeen.size() == 2
                    && mailboxes.stream().allMatch(m -> perMailbox.getOrDefault(m, 0L) >= 3);
        });
        assertThat(ledger.mailboxStates()).containsOnlyKeys(mailboxes);
        assertThat(ledger.mailboxStates().values()).containsOnly("ACTIVE");
        assertThat(ledger.runs()).filteredOn(r -> r.outcome().isPresent())
                .allSatisfy(r -> assertThat(r.outcome()).as("run %s", r).contains("ok"));

        // The operator rotates the client secret in the shared secret file; the provider takes both for a while,
        // then only the new one. Both nodes keep refreshing without a restart.
        bed.entra().acceptClientSecrets(ProcessFixture.ENTRA_SECRET, "entra-client-secret-process-2");
        Map<NodeProcess, Integer> reloadsBefore = nodes.stream().collect(Collectors.toMap(n -> n, ClusterProcessIT::reloads));
        bed.writeSecret("entra-secret", "entra-client-secret-process-2");
        await("both nodes to reload the secret", () -> nodes.stream().allMatch(n -> reloads(n) > reloadsBefore.get(n)));
        bed.entra().acceptClientSecrets("entra-client-secret-process-2");
        Instant switched = Instant.now();
        int refreshesBefore = bed.entra().tokenRequests("refresh_token");
        await("more refreshes with the new secret on both nodes", () -> {
            Set<String> nodesSince = ledger.runs().stream()
                    .filter(r -> r.startedAt().isAfter(switched) && r.outcome().isPresent())
                    .map(CollectionLedger.Run::node).collect(Collectors.toSet());
            return bed.entra().tokenRequests("refresh_token") >= refreshesBefore + 16 && nodesSince.size() == 2;
        });

        for (NodeProcess node : nodes) {
            assertThat(node.terminate(Duration.ofSeconds(40))).as("exit code of %s after SIGTERM", node).contains(0);
        }
        assertThat(ledger.mailboxStates().values()).containsOnly("ACTIVE");
        assertThat(ledger.runs()).allSatisfy(r -> assertThat(r.outcome()).as("run %s", r).contains("ok"));
        assertThat(ledger.overlaps(Map.of())).isEmpty();
    }

    /** Starts a node and learns its Quartz instance id (the {@code node} of its runs) from the scheduler table. */
    private NodeProcess startNode(String name) {
        CollectionLedger ledger = bed.ledger();
        Set<String> before = new HashSet<>(ledger.schedulerInstances());
        NodeProcess node = bed.start(name);
        Set<String> fresh = new HashSet<>();
        await("node " + name + " to check in with the cluster", () -> {
            fresh.clear();
            fresh.addAll(ledger.schedulerInstances());
            fresh.removeAll(before);
            fresh.removeAll(instanceIds.values());
            return fresh.size() == 1;
        });
        instanceIds.put(node, fresh.iterator().next());
        return node;
    }

    /** Sign-in started on one node, provider answer delivered to another: the state lives in the database. */
    private void authorizeAcross(String mailbox, String provider, NodeProcess startOn, NodeProcess callbackTo) {
        bed.signingInAs(provider, address(mailbox));
        Browser.Page page = CrossNodeSignIn.authorize(mailbox, startOn, callbackTo);
        assertThat(page.status()).as("callback of %s on %s", mailbox, callbackTo).isEqualTo(200);
        assertThat(page.body()).contains("Mailbox authorized");
    }

    private void deliverWave(List<String> mailboxes, String wave, int perMailbox, Map<String, Integer> delivered,
            Set<String> messageIds) {
        for (String m : mailboxes) {
            for (int n = 1; n <= perMailbox; n++) {
                String id = "<" + m + "-" + wave + "-" + n + "@customer.example>";
                bed.deliver(address(m), Mails.plain("Customer " + n + " <c" + n + "@customer.example>", address(m),
                        "Question " + n + " (" + wave + " wave) to " + m, id, "Please help with item " + n + "."));
                messageIds.add(id);
                delivered.merge(m, 1, Integer::sum);
            }
        }
    }

    private static int reloads(NodeProcess node) {
        return node.log().split("Configuration reloaded", -1).length - 1;
    }

    private static String provider(int index) {
        return index % 4 == 0 ? "google" : "entra";
    }

    private static String address(String mailboxId) {
        return mailboxId + "@contoso.com";
    }
}
