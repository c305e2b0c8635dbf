package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.imap.GreenMailServer;
import dev.intake.bench.imap.MinimalImapClient;
import dev.intake.bench.node.NodeConfig;
import dev.intake.bench.node.NodeProcess;
import dev.intake.bench.report.Report;
import dev.intake.bench.report.StageBreakdown;
import dev.intake.testing.FakeAuthorizationServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The main figure: the corpus collected by a fresh Intake, against the raw fetch limit measured on the same server
 * in the same run. The limit is a minimal client fetching every message's full body over the same kind of
 * connection (TLS, XOAUTH2) with {@code UID FETCH n:m (BODY.PEEK[])} in batches of 50, Intake's batch size.
 */
public final class ThroughputScenario {

    static final String MAILBOX = "support";
    static final String ADDRESS = "support@bench.example";
    static final int LIMIT_BATCH = 50;
    /** Not timed: lets the server's (and the client's) JIT warm up on the fetch path before the limit is taken. */
    static final int WARM_UP = 200;

    private final Lab lab;

    public ThroughputScenario(Lab lab) {
        this.lab = lab;
    }

    public void run(Path dir, Report report) throws Exception {
        Corpus corpus = Corpus.plan(lab.options().corpus(), ADDRESS, "tp");
        Corpus.Expected expected = corpus.expected();
        try (FakeAuthorizationServer fake = lab.fakeEntra();
                GreenMailServer server = lab.server(dir.resolve("server"), List.of(ADDRESS), lab.options().serverHeap())) {
            long bytes;
            long loadStart = System.nanoTime();
            try (MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
                bytes = Lab.deliver(client, corpus);
            }
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            report.header("Corpus: " + corpus.messages().size() + " messages, " + Report.mb(bytes) + " ("
                    + lab.options().corpus().describe() + "), delivered by IMAP APPEND in "
                    + String.format(Locale.ROOT, "%.0f s", loadSeconds) + ".");

            Limit limit = measureLimit(server.port());
            report.row("Raw fetch limit: UID FETCH n:m (BODY.PEEK[]), " + LIMIT_BATCH + " per command, one TLS connection",
                    Report.rate(limit.messages, limit.bytes, limit.seconds));

            Path nodeDir = dir.resolve("node");
            NodeConfig config = lab.nodeConfig(nodeDir, fake, server.port()).mailbox(MAILBOX, ADDRESS, List.of(
                    "accepted-folder: Intake/Accepted", "refused-folder: Intake/Refused", "initial-sync: all",
                    "max-per-run: 10000", "poll-every: 1h",
                    // Collected by explicit polls only, so the timed run is exactly one collection of the corpus.
                    "paused: true"));
            Path yaml = config.write(Lab.CLIENT_SECRET);
            Path recording = nodeDir.resolve("intake.jfr");
            JsonNode poll;
            JsonNode counts;
            JsonNode attachments;
            JsonNode memory;
            long rss;
            try (NodeProcess node = lab.node(nodeDir, yaml,
                    "-XX:StartFlightRecording=filename=" + recording + ",settings=default,dumponexit=true",
                    "-XX:FlightRecorderOptions=stackdepth=256")) {
                lab.authorize(config, fake, MAILBOX, ADDRESS);
                poll = lab.ask(node, "poll " + MAILBOX + " 100", Duration.ofMinutes(30));
                counts = lab.ask(node, "counts", Duration.ofMinutes(1));
                attachments = lab.ask(node, "attachments", Duration.ofMinutes(1));
                memory = lab.ask(node, "memory", Duration.ofMinutes(1));
                rss = node.peakRss().orElse(-1);
                node.stop();
            }
            double seconds = poll.get("nanos").asLong() / 1e9;
            long collected = poll.get("fetched").asLong();
            report.row("Intake: a fresh node collects the mailbox (token, XOAUTH2, fetch, parse, tickets, attachments, "
                    + "MOVE); " + poll.get("polls").asInt() + " run(s)", Report.rate(collected, bytes, seconds));
            double ratio = (collected / seconds) / (limit.messages / limit.seconds);
            report.row("Intake / limit (messages per second)", String.format(Locale.ROOT, "%.2f", ratio), "≥ 0.50",
                    ratio >= 0.5);
            Scenarios.memoryRows(report, "Intake (throughput run)", memory, rss);
            report.row("Token requests during the run", fake.tokenRequests("authorization_code") + " authorization code, "
                    + fake.tokenRequests("refresh_token") + " refresh");

            long tickets = counts.path("ticket").asLong();
            long followups = counts.path("followup").asLong();
            long refused = counts.path("refused").asLong();
            long other = counts.path("duplicate").asLong() + poll.path("failed").asLong();
            int inInbox;
            int accepted;
            try (MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
                inInbox = client.count("INBOX");
                accepted = client.count("Intake.Accepted");
            }
            boolean totals = tickets == expected.tickets() && followups == expected.followups()
                    && refused == expected.refusals() && other == 0 && counts.path("pending").asLong() == 0
                    && inInbox == 0 && accepted == expected.total()
                    && attachments.get("count").asLong() == corpus.messages().stream()
                            .filter(m -> m.attachmentSize() > 0).count();
            report.row("Tickets / followups / refusals (expected " + expected.tickets() + " / " + expected.followups()
                            + " / " + expected.refusals() + "); server afterwards",
                    tickets + " / " + followups + " / " + refused + ", duplicates+failed " + other + "; "
                            + attachments.get("count").asLong() + " attachments, " + Report.mb(attachments.get("bytes").asLong())
                            + "; INBOX " + inInbox + ", Accepted " + accepted,
                    "all as expected", totals);

            if (Files.exists(recording)) {
                StageBreakdown stages = StageBreakdown.read(recording, "bench-poll");
                report.section("### Where the collecting thread spent the throughput run\n\n" + stages.table(seconds));
            }
        }
    }

    private Limit measureLimit(int port) throws Exception {
        try (MinimalImapClient client = lab.imap(port, ADDRESS)) {
            client.select("INBOX");
            List<Long> uids = client.uids();
            if (!uids.isEmpty()) {
                client.fetchBodies(uids.get(0), uids.get(Math.min(uids.size(), WARM_UP) - 1));
            }
        }
        long started = System.nanoTime();
        long messages = 0;
        long bytes = 0;
        try (MinimalImapClient client = lab.imap(port, ADDRESS)) {
            client.select("INBOX");
            List<Long> uids = client.uids();
            for (int from = 0; from < uids.size(); from += LIMIT_BATCH) {
                List<Long> batch = uids.subList(from, Math.min(uids.size(), from + LIMIT_BATCH));
                MinimalImapClient.FetchTotals t = client.fetchBodies(batch.get(0), batch.get(batch.size() - 1));
                messages += t.messages();
                bytes += t.bytes();
                lab.remaining();
            }
        }
        return new Limit(messages, bytes, (System.nanoTime() - started) / 1e9);
    }

    private record Limit(long messages, long bytes, double seconds) {
    }
}
