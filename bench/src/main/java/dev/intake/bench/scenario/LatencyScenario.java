package dev.intake.bench.scenario;

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
 * How long a customer waits: a message appended to an idle mailbox that Intake polls every 2 s, until its ticket is
 * committed. The appends are spread over the poll cycle by seeded random pauses, so the median is that of a
 * message arriving at any moment.
 */
public final class LatencyScenario {

    static final String MAILBOX = "latency";
    static final String ADDRESS = "latency@bench.example";
    static final Duration POLL_EVERY = Duration.ofSeconds(2);

    private final Lab lab;

    public LatencyScenario(Lab lab) {
        this.lab = lab;
    }

    public void run(Path dir, Report report) throws Exception {
        int samples = lab.options().latencySamples();
        Corpus corpus = Corpus.plan(lab.options().corpus().withCount(samples).withMix(100, 0, 0), ADDRESS, "lat");
        Random pauses = new Random(lab.options().corpus().seed());
        List<Double> latencies = new ArrayList<>();
        try (FakeAuthorizationServer fake = lab.fakeEntra();
                ImapServer server = lab.server(dir.resolve("server"), ADDRESS, "512m")) {
            Path nodeDir = dir.resolve("node");
            NodeConfig config = lab.nodeConfig(nodeDir, fake, server.port()).mailbox(MAILBOX, ADDRESS, List.of(
                    "accepted-folder: Intake/Accepted", "initial-sync: all", "poll-every: " + POLL_EVERY.toSeconds() + "s"));
            Path yaml = config.write(Lab.CLIENT_SECRET);
            try (NodeProcess node = lab.node(nodeDir, yaml);
                    MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
                lab.authorize(config, fake, MAILBOX, ADDRESS);
                awaitFirstRun(node);
                for (MessagePlan plan : corpus.messages()) {
                    Thread.sleep(pauses.nextInt((int) POLL_EVERY.toMillis()));
                    latencies.add(Scenarios.secondsToCommit(lab, client, node, corpus, plan));
                }
                node.stop();
            }
        }
        latencies.sort(null);
        int n = latencies.size();
        double median = Scenarios.median(latencies);
        report.row("Latency: appended to an idle mailbox (poll-every " + POLL_EVERY.toSeconds() + "s) until its ticket "
                        + "is committed, " + n + " samples",
                String.format(Locale.ROOT, "median %.2f s (min %.2f s, max %.2f s)", median, latencies.get(0),
                        latencies.get(n - 1)));
    }

    private void awaitFirstRun(NodeProcess node) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (lab.ask(node, "counts", Duration.ofSeconds(30)).path("runs").asLong() > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the latency node made no collection run within 60 s; see " + node.log());
    }
}
