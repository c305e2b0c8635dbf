package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.corpus.MessagePlan;
import dev.intake.bench.imap.MinimalImapClient;
import dev.intake.bench.node.NodeProcess;
import dev.intake.bench.report.Report;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Rows more than one scenario reports. */
final class Scenarios {

    static final long HEAP_TARGET = 256L * 1024 * 1024;

    private Scenarios() {
    }

    /** Peak heap (used before a collection / live after a full one) against the 256 MB target, and peak RSS. */
    static void memoryRows(Report report, String what, JsonNode memory, long peakRss) {
        long used = memory.get("peakUsed").asLong();
        long live = memory.get("peakLive").asLong();
        // maxMemory(): -Xmx less what the collector keeps aside (a survivor space with the parallel collector).
        report.row(what + ": peak heap used / live after a full GC (usable heap " + Report.mb(memory.get("max").asLong())
                        + " of the -Xmx)",
                Report.mb(used) + " / " + (live > 0 ? Report.mb(live) : "no full GC") + ", "
                        + memory.get("collections").asLong() + " collections",
                "< 256 MB", used < HEAP_TARGET);
        report.row(what + ": peak RSS of the node process", peakRss < 0 ? "n/a" : Report.mb(peakRss));
    }

    /**
     * One latency sample: appends a message of the corpus and waits (30 s at most) until the node has committed it.
     *
     * @return seconds from the APPEND to the commit
     */
    static double secondsToCommit(Lab lab, MinimalImapClient client, NodeProcess node, Corpus corpus, MessagePlan plan)
            throws IOException {
        client.append("INBOX", corpus.render(plan));
        long appended = System.currentTimeMillis();
        JsonNode seen = lab.ask(node, "await-message " + corpus.messageId(plan.index()) + " 30000", Duration.ofMinutes(1));
        long at = seen.get("seenAt").asLong();
        if (at < 0) {
            throw new IllegalStateException("message " + plan.index() + " was not committed within 30 s; see " + node.log());
        }
        return (at - appended) / 1e3;
    }

    /** The median of sorted samples. */
    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
