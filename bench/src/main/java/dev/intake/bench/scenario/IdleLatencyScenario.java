package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.corpus.MessagePlan;
import dev.intake.bench.imap.ImapServer;
import dev.intake.bench.imap.MinimalImapClient;
import dev.intake.bench.node.NodeConfig;
import dev.intake.bench.node.NodeProcess;
import dev.intake.bench.report.Report;
import dev.intake.testing.FakeAuthorizationServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How long a customer waits with IMAP IDLE: a message appended to a mailbox in {@code mode: idle}, until its ticket
 * is committed. The safety-net poll is an hour away, so every sample is collected by IDLE. Appends are spaced by
 * seeded random pauses (each after the previous ticket), so no sample queues behind another.
 */
public final class IdleLatencyScenario {

    static final String MAILBOX = "idle-latency";
    static final String ADDRESS = "idle-latency@bench.example";
    /** The target for the median. */
    static final double TARGET_MEDIAN_SECONDS = 1.0;

    private final Lab lab;

    public IdleLatencyScenario(Lab lab) {
        this.lab = lab;
    }

    public void run(Path dir, Report report) throws Exception {
        int samples = lab.options().idleSamples();
        Corpus corpus = Corpus.plan(lab.options().corpus().withCount(samples).withMix(100, 0, 0), ADDRESS, "idl");
        Random pauses = new Random(lab.options().corpus().seed());
        List<Double> latencies = new ArrayList<>();
        try (FakeAuthorizationServer fake = lab.fakeEntra();
                ImapServer server = lab.server(dir.resolve("server"), ADDRESS, "512m")) {
            Path nodeDir = dir.resolve("node");
            NodeConfig config = lab.nodeConfig(nodeDir, fake, server.port()).mailbox(MAILBOX, ADDRESS, List.of(
                    "accepted-folder: Intake/Accepted", "initial-sync: all", "mode: idle", "idle-safety-poll-every: 1h"));
            Path yaml = config.write(Lab.CLIENT_SECRET);
            try (NodeProcess node = lab.node(nodeDir, yaml);
                    MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
                lab.authorize(config, fake, MAILBOX, ADDRESS);
                JsonNode idling = lab.ask(node, "await-idling 1 60000", Duration.ofMinutes(2));
                if (idling.get("seenAt").asLong() < 0) {
                    throw new IllegalStateException("the mailbox was not idling within 60 s; see " + node.log());
                }
                for (MessagePlan plan : corpus.messages()) {
                    Thread.sleep(200 + pauses.nextInt(800));
                    latencies.add(Scenarios.secondsToCommit(lab, client, node, corpus, plan));
                }
                node.stop();
            }
        }
        latencies.sort(null);
        int n = latencies.size();
        double median = Scenarios.median(latencies);
        double p95 = latencies.get(Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1));
        report.row("IDLE latency: appended to a mailbox in mode: idle until its ticket is committed, " + n + " samples",
                String.format(Locale.ROOT, "median %.3f s, p95 %.3f s (min %.3f s, max %.3f s)", median, p95,
                        latencies.get(0), latencies.get(n - 1)),
                String.format(Locale.ROOT, "median ≤ %.0f s", TARGET_MEDIAN_SECONDS), median <= TARGET_MEDIAN_SECONDS);
    }
}
