package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.report.Report;

/** Rows more than one scenario reports. */
final class Scenarios {

    static final long HEAP_TARGET = 256L * 1024 * 1024;

    private Scenarios() {
    }

    /** Peak heap (used before a collection / live after one) against the 256 MB target, and peak RSS. */
    static void memoryRows(Report report, String what, JsonNode memory, long peakRss) {
        long used = memory.get("peakUsed").asLong();
        long live = memory.get("peakLive").asLong();
        report.row(what + ": peak heap used / live after GC (-Xmx " + Report.mb(memory.get("max").asLong()) + ")",
                Report.mb(used) + " / " + Report.mb(live) + ", " + memory.get("collections").asLong() + " collections",
                "< 256 MB", used < HEAP_TARGET);
        report.row(what + ": peak RSS of the node process", peakRss < 0 ? "n/a" : Report.mb(peakRss));
    }
}
