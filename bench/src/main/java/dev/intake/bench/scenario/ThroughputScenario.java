package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.imap.ImapServer;
import dev.intake.bench.imap.MinimalImapClient;
import dev.intake.bench.imap.ProcessCpu;
import dev.intake.bench.node.IntakeNode;
import dev.intake.bench.node.NodeConfig;
import dev.intake.bench.node.NodeProcess;
import dev.intake.bench.report.Report;
import dev.intake.bench.report.StageBreakdown;
import dev.intake.testing.FakeAuthorizationServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The main figure: the corpus collected by Intake, against the raw fetch limit measured on the same server and the
 * same folder contents in the same run. The limit is a minimal client fetching every message's full body over the
 * same kind of connection (TLS, XOAUTH2) with {@code UID FETCH n:m (BODY.PEEK[])} in batches of 50.
 *
 * <p>Two timed collections by one node: <em>cold</em>, the corpus collected by a fresh JVM, and <em>warm</em>, a
 * third copy of the corpus (same plan, other Message-IDs, so nothing is a duplicate) collected by the same node after
 * an untimed warm-up copy and a quiet JIT compiler (see {@link #JIT_QUIET_MAX}), as a service collects after its first
 * hour. Each has its own limit, measured on the folder as Intake then finds it, and the CPU time of Intake's process
 * (with its JIT and GC seconds) and of the server's, so that a reader sees who used the cores.
 */
public final class ThroughputScenario {

    static final String MAILBOX = "support";
    static final String ADDRESS = "support@bench.example";
    static final int LIMIT_BATCH = 50;
    /** Not timed: lets the server's (and the client's) caches and JIT warm up on the fetch path before the limit. */
    static final int WARM_UP = 200;
    /**
     * The most the warm run waits for the node's JIT compiler to drain its queue: a fresh JVM is still compiling
     * (most of a core on two) long after its first corpus, which a node serving for an hour no longer is.
     */
    static final Duration JIT_QUIET_MAX = Duration.ofMinutes(2);

    private final Lab lab;

    public ThroughputScenario(Lab lab) {
        this.lab = lab;
    }

    public void run(Path dir, Report report) throws Exception {
        Corpus cold = Corpus.plan(lab.options().corpus(), ADDRESS, "tp");
        Corpus warmUp = Corpus.plan(lab.options().corpus(), ADDRESS, "tu");
        Corpus warm = Corpus.plan(lab.options().corpus(), ADDRESS, "tw");
        try (FakeAuthorizationServer fake = lab.fakeEntra();
                ImapServer server = lab.server(dir.resolve("server"), ADDRESS, lab.options().serverHeap())) {
            report.header("IMAP server: " + server.describe() + ".");
            long bytes = deliver(server, cold, report);
            Measured coldLimit = measureLimit(server);

            Path nodeDir = dir.resolve("node");
            NodeConfig config = lab.nodeConfig(nodeDir, fake, server.port()).mailbox(MAILBOX, ADDRESS, List.of(
                    "accepted-folder: Intake/Accepted", "refused-folder: Intake/Refused", "initial-sync: all",
                    "max-per-run: 10000", "poll-every: 1h",
                    // Collected by explicit polls only, so each timed run is exactly one collection of a corpus.
                    "paused: true"));
            Path yaml = config.write(Lab.CLIENT_SECRET);
            Path recording = nodeDir.resolve("intake.jfr");
            try (NodeProcess node = lab.node(nodeDir, yaml, Lab.recordingOptions(recording))) {
                lab.authorize(config, fake, MAILBOX, ADDRESS);
                Measured coldRun = collect(node, server);
                boolean coldTotals = checkTotals(report, "cold", node, server, cold.expected(), 1,
                        cold.messages().stream().filter(m -> m.attachmentSize() > 0).count());

                // Not timed: a second corpus, so that the warm run meets code the JIT compiler has finished with.
                deliver(server, warmUp, null);
                Measured warmUpRun = collect(node, server);
                deliver(server, warm, null);
                JsonNode jit = lab.ask(node, "await-jit-quiet " + JIT_QUIET_MAX.toMillis(), JIT_QUIET_MAX.plusMinutes(1));
                report.header(String.format(Locale.ROOT, "Before the warm run the node collected a warm-up copy of the "
                        + "corpus (%.1f s, JIT compiling %.1f s) and its JIT compiler %s after %.0f s.", warmUpRun.seconds,
                        warmUpRun.jitSeconds, jit.get("quiet").asBoolean() ? "was quiet" : "was still compiling",
                        jit.get("waitedMillis").asLong() / 1000.0));
                Measured warmLimit = measureLimit(server);
                Measured warmRun = collect(node, server);
                boolean warmTotals = checkTotals(report, "cold + warm-up + warm", node, server, cold.expected(), 3,
                        3 * cold.messages().stream().filter(m -> m.attachmentSize() > 0).count());

                rows(report, "cold (a fresh JVM)", coldLimit, coldRun, bytes, 0.35);
                rows(report, "warm (the same node, after a warm-up copy)", warmLimit, warmRun, bytes, 0.5);
                JsonNode memory = lab.ask(node, "memory", Duration.ofMinutes(1));
                long rss = node.peakRss().orElse(-1);
                Scenarios.memoryRows(report, "Intake (throughput run)", memory, rss);
                report.row("Token requests during the run", fake.tokenRequests("authorization_code") + " authorization code, "
                        + fake.tokenRequests("refresh_token") + " refresh");
                node.stop();
                if (!coldTotals || !warmTotals) {
                    System.err.println("[bench] the totals differ from the corpus; see the table");
                }
                if (Files.exists(recording)) {
                    StageBreakdown stages = StageBreakdown.read(recording, IntakeNode.POLL_THREAD, "intake-parse-");
                    report.section("### Where the collecting threads spent the throughput runs (cold and warm together)\n\n"
                            + stages.table(coldRun.seconds + warmRun.seconds));
                }
            }
        }
    }

    private long deliver(ImapServer server, Corpus corpus, Report report) throws IOException {
        long started = System.nanoTime();
        long bytes;
        try (MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
            bytes = Lab.deliver(client, corpus);
        }
        if (report != null) {
            report.header("Corpus: " + corpus.messages().size() + " messages, " + Report.mb(bytes) + " ("
                    + lab.options().corpus().describe() + "), delivered by IMAP APPEND in "
                    + String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9)
                    + "; delivered again with other Message-IDs for the warm run.");
        }
        return bytes;
    }

    /** One timed collection by the node: every run until one finds nothing more. */
    private Measured collect(NodeProcess node, ImapServer server) throws IOException {
        double intakeCpu = ProcessCpu.ofTree(node.pid());
        double serverCpu = server.cpuSeconds();
        JsonNode poll = lab.ask(node, "poll " + MAILBOX + " 100", Duration.ofMinutes(30));
        return new Measured(poll.get("fetched").asLong(), poll.get("nanos").asLong() / 1e9,
                ProcessCpu.ofTree(node.pid()) - intakeCpu, server.cpuSeconds() - serverCpu,
                poll.get("jitMillis").asLong() / 1000.0, poll.get("gcMillis").asLong() / 1000.0);
    }

    private boolean checkTotals(Report report, String which, NodeProcess node, ImapServer server, Corpus.Expected expected,
            int copies, long attachmentsExpected) throws IOException {
        JsonNode counts = lab.ask(node, "counts", Duration.ofMinutes(1));
        JsonNode attachments = lab.ask(node, "attachments", Duration.ofMinutes(1));
        long tickets = counts.path("ticket").asLong();
        long followups = counts.path("followup").asLong();
        long refused = counts.path("refused").asLong();
        long other = counts.path("duplicate").asLong() + counts.path("failed").asLong();
        int inInbox;
        int accepted;
        int refusedFolder;
        try (MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
            inInbox = client.count("INBOX");
            accepted = client.count("Intake.Accepted");
            refusedFolder = client.count("Intake.Refused");
        }
        boolean met = tickets == (long) copies * expected.tickets() && followups == (long) copies * expected.followups()
                && refused == (long) copies * expected.refusals() && other == 0 && counts.path("pending").asLong() == 0
                && inInbox == 0 && accepted + refusedFolder == copies * expected.total()
                && attachments.get("count").asLong() == attachmentsExpected;
        report.row("Tickets / followups / refusals after the " + which + " run (expected " + copies * expected.tickets()
                        + " / " + copies * expected.followups() + " / " + copies * expected.refusals() + "); server",
                tickets + " / " + followups + " / " + refused + ", duplicates+failed " + other + "; "
                        + attachments.get("count").asLong() + " attachments, " + Report.mb(attachments.get("bytes").asLong())
                        + "; INBOX " + inInbox + ", Accepted " + accepted + ", Refused " + refusedFolder,
                "all as expected", met);
        return met;
    }

    private static void rows(Report report, String which, Measured limit, Measured intake, long bytes, double target) {
        report.row("Limit before the " + which.split(" ")[0] + " run: UID FETCH n:m (BODY.PEEK[]), " + LIMIT_BATCH
                + " per command, one TLS connection; CPU client " + cpu(limit.clientCpu) + ", server " + cpu(limit.serverCpu),
                Report.rate(limit.messages, bytes, limit.seconds));
        report.row("Intake, " + which + ": token, XOAUTH2, fetch, parse, tickets, attachments, MOVE; CPU Intake "
                + cpu(intake.clientCpu) + " (JIT compiling " + cpu(intake.jitSeconds) + ", GC pauses " + cpu(intake.gcSeconds)
                + "), server " + cpu(intake.serverCpu), Report.rate(intake.messages, bytes, intake.seconds));
        double ratio = (intake.messages / intake.seconds) / (limit.messages / limit.seconds);
        report.row("Intake / limit, " + which + " (messages per second)", String.format(Locale.ROOT, "%.2f", ratio),
                String.format(Locale.ROOT, "≥ %.2f", target), ratio >= target);
    }

    private static String cpu(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    /** Fetches every message body in INBOX as the limit, after an untimed warm-up of the first ones. */
    private Measured measureLimit(ImapServer server) throws Exception {
        try (MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
            client.select("INBOX");
            List<Long> uids = client.uids();
            if (!uids.isEmpty()) {
                client.fetchBodies(uids.get(0), uids.get(Math.min(uids.size(), WARM_UP) - 1));
            }
        }
        double clientCpu = ProcessCpu.ofTree(ProcessHandle.current().pid());
        double serverCpu = server.cpuSeconds();
        long started = System.nanoTime();
        long messages = 0;
        try (MinimalImapClient client = lab.imap(server.port(), ADDRESS)) {
            client.select("INBOX");
            List<Long> uids = client.uids();
            for (int from = 0; from < uids.size(); from += LIMIT_BATCH) {
                List<Long> batch = uids.subList(from, Math.min(uids.size(), from + LIMIT_BATCH));
                messages += client.fetchBodies(batch.get(0), batch.get(batch.size() - 1)).messages();
                lab.remaining();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Measured(messages, seconds, ProcessCpu.ofTree(ProcessHandle.current().pid()) - clientCpu,
                server.cpuSeconds() - serverCpu, 0, 0);
    }

    /**
     * A timed fetch: messages, seconds, and the CPU seconds of the fetching side and of the server meanwhile; for
     * Intake also the seconds its JIT compilers and garbage collector took.
     */
    private record Measured(long messages, double seconds, double clientCpu, double serverCpu, double jitSeconds,
            double gcSeconds) {
    }
}
