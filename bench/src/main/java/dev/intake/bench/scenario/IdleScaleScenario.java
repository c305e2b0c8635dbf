package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.imap.CountingRelay;
import dev.intake.bench.imap.GreenMailServer;
import dev.intake.bench.node.NodeConfig;
import dev.intake.bench.node.NodeProcess;
import dev.intake.bench.report.Report;
import dev.intake.testing.FakeAuthorizationServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What idling costs: many mailboxes in {@code mode: idle} on one node, every one holding its IDLE connection, and no
 * mail arriving. The mailboxes are authorized by a first node (paused), then a second node starts with them idling,
 * as after a restart. Once all idle and the start-up work is over (each mailbox's first collections, the
 * reconciliation a node runs at start), the node's CPU time is measured over a quiet window, then its live heap
 * (after a full collection), RSS and threads.
 */
public final class IdleScaleScenario {

    /** How long the quiet node is watched; long enough to hold several lease heartbeats and socket timeouts. */
    static final Duration WINDOW = Duration.ofSeconds(60);
    /** No collection run has started for this long: the start-up collections are over. */
    static final Duration SETTLE = Duration.ofSeconds(10);

    private final Lab lab;

    public IdleScaleScenario(Lab lab) {
        this.lab = lab;
    }

    public void run(Path dir, Report report) throws Exception {
        int mailboxes = lab.options().idleMailboxes();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < mailboxes; i++) {
            addresses.add(String.format(Locale.ROOT, "idle-%03d@bench.example", i));
        }
        try (FakeAuthorizationServer fake = lab.fakeEntra();
                GreenMailServer server = lab.greenMail(dir.resolve("server"), addresses, lab.options().serverHeap());
                CountingRelay relay = new CountingRelay(server.port())) {
            Path nodeDir = dir.resolve("node");
            NodeConfig config = lab.nodeConfig(nodeDir, fake, relay.port());
            mailboxes(config, addresses, true);
            Path yaml = config.write(Lab.CLIENT_SECRET);
            try (NodeProcess first = lab.node(nodeDir, yaml)) {
                var admin = lab.signIn(config);
                for (int i = 0; i < mailboxes; i++) {
                    lab.authorize(admin, config, fake, id(i), addresses.get(i));
                    lab.remaining();
                }
                first.stop();
            }
            mailboxes(config.clearMailboxes(), addresses, false);
            config.write(Lab.CLIENT_SECRET);
            long started = System.currentTimeMillis();
            try (NodeProcess node = lab.node(nodeDir, yaml)) {
                JsonNode idling = lab.ask(node, "await-idling " + mailboxes + " " + lab.remaining().toMillis(),
                        Duration.ofMinutes(10));
                long allIdleAt = idling.get("seenAt").asLong();
                if (allIdleAt < 0) {
                    throw new IllegalStateException("only " + idling.get("idling").asLong() + " of " + mailboxes
                            + " mailboxes were idling in time; see " + node.log());
                }
                double quietAfter = awaitQuiet(node, mailboxes, started);
                JsonNode before = lab.ask(node, "cpu", Duration.ofMinutes(1));
                long connectionsBefore = relay.connections();
                long runsBefore = lab.ask(node, "counts", Duration.ofMinutes(1)).path("runs").asLong();
                Thread.sleep(Math.min(WINDOW.toMillis(), lab.remaining().toMillis()));
                JsonNode after = lab.ask(node, "cpu", Duration.ofMinutes(1));
                long connectionsDuring = relay.connections() - connectionsBefore;
                long runsDuring = lab.ask(node, "counts", Duration.ofMinutes(1)).path("runs").asLong() - runsBefore;
                long rss = node.rss().orElse(-1);
                JsonNode heap = lab.ask(node, "heap-after-gc", Duration.ofMinutes(1));
                JsonNode stillIdling = lab.ask(node, "await-idling " + mailboxes + " 1000", Duration.ofMinutes(1));
                node.stop();

                double cpuSeconds = (after.get("cpuNanos").asLong() - before.get("cpuNanos").asLong()) / 1e9;
                double wallSeconds = (after.get("at").asLong() - before.get("at").asLong()) / 1e9;
                String what = "IDLE cost: " + mailboxes + " mailboxes idling on one node, no mail";
                report.row(what + ": all idling",
                        String.format(Locale.ROOT, "%.1f s after node start (start-up collections and reconciliation"
                                        + " over after %.1f s); %d still idling at the end",
                                (allIdleAt - started) / 1e3, quietAfter, stillIdling.get("idling").asLong()));
                report.row(what + ": CPU of the node over " + Math.round(wallSeconds) + " s",
                        String.format(Locale.ROOT, "%.2f s (%.2f%% of one core)", cpuSeconds,
                                100 * cpuSeconds / wallSeconds));
                report.row(what + ": heap live after GC / RSS / threads",
                        Report.mb(heap.get("heapAfterGc").asLong()) + " / " + (rss < 0 ? "n/a" : Report.mb(rss)) + " / "
                                + after.get("threads").asLong());
                report.row(what + ": new IMAP connections / collection runs in the quiet window", connectionsDuring
                        + " / " + runsDuring + " (the IDLE connections stay open; IDLE is re-issued every 25 min and"
                        + " renewed before the 1 h token expires, both outside this window)");
            }
        }
    }

    /**
     * Waits until the start-up work is over: each mailbox's first collections and the reconciliation a node runs at
     * start (one IMAP connection per mailbox), then until no run has started for {@link #SETTLE}. Returns the seconds
     * since the node started.
     */
    private double awaitQuiet(NodeProcess node, int mailboxes, long started) throws Exception {
        long runs = -1;
        long stableSince = System.nanoTime();
        while (true) {
            lab.remaining();
            JsonNode counts = lab.ask(node, "counts", Duration.ofMinutes(1));
            long now = counts.path("runs").asLong();
            if (now != runs) {
                runs = now;
                stableSince = System.nanoTime();
            }
            if (counts.path("reconciled").asLong() >= mailboxes
                    && System.nanoTime() - stableSince >= SETTLE.toNanos()) {
                return (System.currentTimeMillis() - started) / 1e3;
            }
            Thread.sleep(500);
        }
    }

    private static void mailboxes(NodeConfig config, List<String> addresses, boolean paused) {
        for (int i = 0; i < addresses.size(); i++) {
            config.mailbox(id(i), addresses.get(i), List.of("accepted-folder: Intake/Accepted", "initial-sync: all",
                    "mode: idle", "paused: " + paused));
        }
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "idle-%03d", i);
    }
}
