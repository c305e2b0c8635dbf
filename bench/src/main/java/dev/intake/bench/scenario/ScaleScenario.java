package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.imap.CountingRelay;
import dev.intake.bench.imap.GreenMailServer;
import dev.intake.bench.imap.MinimalImapClient;
import dev.intake.bench.imap.ProcessCpu;
import dev.intake.bench.node.NodeConfig;
import dev.intake.bench.node.NodeProcess;
import dev.intake.bench.report.Report;
import dev.intake.bench.report.StageBreakdown;
import dev.intake.testing.FakeAuthorizationServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many mailboxes on one node with the default scheduler threads. The mailboxes are authorized by a first node
 * (paused, so nothing is collected yet); then a second node starts on the same database with them active, as after
 * a restart, and collects them all on its schedule. Its IMAP connections pass a counting relay; its token requests
 * are counted by the fake: each mailbox refreshes once (the access tokens in memory died with the first node), and
 * polls after that reuse the token.
 */
public final class ScaleScenario {

    /** What a helpdesk with many mailboxes would configure: each mailbox looked at once a minute. */
    static final String POLL_EVERY = "1m";
    /** Every message committed within this long of the node's start. */
    static final Duration COLLECTED_WITHIN = Duration.ofMinutes(2);
    /**
     * After everything is collected, the node keeps polling for one whole poll interval, so that every mailbox is
     * polled again with nothing new: its CPU over that window is the steady state between arrivals, and those polls
     * must not ask for tokens.
     */
    static final Duration IDLE_WINDOW = Duration.ofMinutes(1);
    /** The steady state's target: under half a core. */
    static final double STEADY_CORES = 0.5;
    /** Reconciliation checks run one at a time: one may have its connection open but its check not yet recorded. */
    static final int RECONCILING_AT_ONCE = 1;

    private final Lab lab;

    public ScaleScenario(Lab lab) {
        this.lab = lab;
    }

    public void run(Path dir, Report report) throws Exception {
        int mailboxes = lab.options().scaleMailboxes();
        int perMailbox = lab.options().scaleMessages();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < mailboxes; i++) {
            addresses.add(String.format(Locale.ROOT, "mbox-%04d@bench.example", i));
        }
        try (FakeAuthorizationServer fake = lab.fakeEntra();
                GreenMailServer server = lab.greenMail(dir.resolve("server"), addresses, lab.options().serverHeap());
                CountingRelay relay = new CountingRelay(server.port())) {
            int tickets = 0;
            int followups = 0;
            long bytes = 0;
            for (int i = 0; i < mailboxes; i++) {
                // Small mail only (the size mix is the throughput scenario's subject), with the corpus's replies.
                Corpus corpus = Corpus.plan(lab.options().corpus().withCount(perMailbox).withMix(95, 0, 5)
                        .withSeed(lab.options().corpus().seed() + i), addresses.get(i), "sc" + i);
                try (MinimalImapClient client = lab.imap(server.port(), addresses.get(i))) {
                    bytes += Lab.deliver(client, corpus);
                }
                tickets += corpus.expected().tickets();
                followups += corpus.expected().followups();
                lab.remaining();
            }
            int total = tickets + followups;

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
            int codes = fake.tokenRequests("authorization_code");
            long connectionsBefore = relay.connections();
            int refreshBefore = fake.tokenRequests("refresh_token");

            mailboxes(config.clearMailboxes(), addresses, false);
            config.write(Lab.CLIENT_SECRET);
            long started = System.currentTimeMillis();
            JsonNode done;
            JsonNode counts;
            long connections;
            JsonNode memory;
            long rss;
            double readySeconds;
            double steadyCores;
            Path recording = nodeDir.resolve("intake.jfr");
            try (NodeProcess node = lab.node(nodeDir, yaml, Lab.recordingOptions(recording))) {
                readySeconds = (System.currentTimeMillis() - started) / 1e3;
                done = lab.ask(node, "await-total " + total + " " + lab.remaining().toMillis(), Duration.ofMinutes(30));
                double cpuBefore = ProcessCpu.ofTree(node.pid());
                long idleStarted = System.nanoTime();
                Thread.sleep(Math.min(IDLE_WINDOW.toMillis(), lab.remaining().toMillis()));
                steadyCores = (ProcessCpu.ofTree(node.pid()) - cpuBefore) / ((System.nanoTime() - idleStarted) / 1e9);
                // Read before the runs and checks are counted: start-up reconciliation goes on in the background,
                // and every check begun after this would add a connection but no check.
                connections = relay.connections() - connectionsBefore;
                counts = lab.ask(node, "counts", Duration.ofMinutes(1));
                memory = lab.ask(node, "memory", Duration.ofMinutes(1));
                rss = node.peakRss().orElse(-1);
                node.stop();
            }
            int refreshes = fake.tokenRequests("refresh_token") - refreshBefore;
            long seenAt = done.get("seenAt").asLong();
            boolean complete = seenAt > 0 && counts.path("ticket").asLong() == tickets
                    && counts.path("followup").asLong() == followups && counts.path("pending").asLong() == 0;
            String what = "Scale: " + mailboxes + " mailboxes × " + perMailbox + " messages (" + total + ", "
                    + Report.mb(bytes) + "), default scheduler threads, poll-every " + POLL_EVERY;
            report.row(what + ": all committed and moved",
                    complete ? String.format(Locale.ROOT, "%.1f s from node start (ready after %.1f s); %d tickets, "
                            + "%d followups", (seenAt - started) / 1e3, readySeconds, counts.path("ticket").asLong(),
                            counts.path("followup").asLong())
                            : "NOT complete: " + counts,
                    "all within " + COLLECTED_WITHIN.toMinutes() + " min",
                    complete && seenAt - started <= COLLECTED_WITHIN.toMillis());
            report.row("Scale: CPU of the node between arrivals (every mailbox polled once more, nothing new), "
                            + "over " + IDLE_WINDOW.toSeconds() + " s",
                    String.format(Locale.ROOT, "%.2f cores", steadyCores),
                    String.format(Locale.ROOT, "< %.1f core", STEADY_CORES), steadyCores < STEADY_CORES);
            Scenarios.memoryRows(report, "Scale", memory, rss);
            long runs = counts.path("runs").asLong();
            long reconciled = counts.path("reconciledByThisNode").asLong();
            report.row("Scale: IMAP connections opened (counting relay) / collection runs and start-up reconciliation "
                            + "checks, incl. " + IDLE_WINDOW.toSeconds() + " s of idle polls",
                    connections + " connections / " + runs + " runs (" + counts.path("runsWithMail").asLong()
                            + " with mail, " + counts.path("failedRuns").asLong() + " failed) + " + reconciled
                            + " reconciliation checks",
                    "one per run or check", connections <= runs + reconciled + RECONCILING_AT_ONCE);
            report.row("Scale: IMAP connections open at the end of the idle window (counting relay)",
                    Long.toString(relay.open()));
            report.row("Scale: token requests after the restart", refreshes + " refresh for " + mailboxes + " mailboxes over "
                            + runs + " runs (" + codes + " authorization codes before, one per mailbox)",
                    "≤ 1 refresh per mailbox per token lifetime", refreshes <= mailboxes);
            if (java.nio.file.Files.exists(recording)) {
                StageBreakdown stages = StageBreakdown.read(recording, "intake-collect", "intake-parse-");
                report.section("### Where the scheduler's collecting threads spent the scale run (seconds of all "
                        + dev.intake.config.Defaults.SCHEDULER_THREADS + " threads together)\n\n"
                        + stages.table((seenAt - started) / 1e3 * dev.intake.config.Defaults.SCHEDULER_THREADS));
            }
        }
    }

    private static void mailboxes(NodeConfig config, List<String> addresses, boolean paused) {
        for (int i = 0; i < addresses.size(); i++) {
            config.mailbox(id(i), addresses.get(i), List.of("accepted-folder: Intake/Accepted", "initial-sync: all",
                    "poll-every: " + POLL_EVERY, "paused: " + paused));
        }
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "mbox-%04d", i);
    }
}
