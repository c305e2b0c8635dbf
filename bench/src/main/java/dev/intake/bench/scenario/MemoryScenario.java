package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.corpus.CorpusSpec;
import dev.intake.bench.imap.ImapServer;
import dev.intake.bench.imap.MinimalImapClient;
import dev.intake.bench.node.NodeConfig;
import dev.intake.bench.node.NodeProcess;
import dev.intake.bench.report.Report;
import dev.intake.testing.FakeAuthorizationServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One very large message (by default 50 MB, nearly all of it one attachment) collected by a node with the heap
 * under test: it must become a ticket with its attachment, without the node running out of memory.
 */
public final class MemoryScenario {

    static final String MAILBOX = "large";
    static final String ADDRESS = "large@bench.example";

    private final Lab lab;

    public MemoryScenario(Lab lab) {
        this.lab = lab;
    }

    public void run(Path dir, Report report) throws Exception {
        long size = lab.options().largeMessageBytes();
        Corpus corpus = Corpus.plan(CorpusSpec.standard().withCount(1), ADDRESS, "mem");
        byte[] raw = corpus.renderLarge(size);
        long attachment = Corpus.largeAttachmentSize(size);
        String what = "Memory: one " + Report.mb(raw.length) + " message (attachment " + Report.mb(attachment)
                + " decoded)";
        try (FakeAuthorizationServer fake = lab.fakeEntra();
                ImapServer server = lab.server(dir.resolve("server"), ADDRESS, lab.options().serverHeap())) {
            try (MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
                client.append("INBOX", raw);
            }
            raw = null;
            Path nodeDir = dir.resolve("node");
            NodeConfig config = lab.nodeConfig(nodeDir, fake, server.port()).mailbox(MAILBOX, ADDRESS, List.of(
                    "accepted-folder: Intake/Accepted", "initial-sync: all", "poll-every: 1h", "paused: true",
                    "max-message-size: " + 2 * size, "max-attachment-size: " + 2 * size));
            Path yaml = config.write(Lab.CLIENT_SECRET);
            JsonNode poll;
            JsonNode counts;
            JsonNode attachments;
            JsonNode memory;
            long rss;
            try (NodeProcess node = lab.node(nodeDir, yaml)) {
                lab.authorize(config, fake, MAILBOX, ADDRESS);
                poll = lab.ask(node, "poll " + MAILBOX + " 3", Duration.ofMinutes(10));
                counts = lab.ask(node, "counts", Duration.ofMinutes(1));
                attachments = lab.ask(node, "attachments", Duration.ofMinutes(1));
                memory = lab.ask(node, "memory", Duration.ofMinutes(1));
                rss = node.peakRss().orElse(-1);
                node.stop();
            }
            boolean stored = counts.path("ticket").asLong() == 1 && attachments.get("largest").asLong() == attachment;
            report.row(what + ", collected at -Xmx" + lab.options().intakeHeap(),
                    (stored ? "ticket with its attachment stored" : "NOT stored as expected: " + counts + " " + attachments)
                            + " in " + Report.seconds(poll.get("nanos").asLong() / 1e9),
                    "no failure", stored);
            Scenarios.memoryRows(report, "Memory", memory, rss);
        }
    }
}
