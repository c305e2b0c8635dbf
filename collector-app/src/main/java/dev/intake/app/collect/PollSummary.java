package dev.intake.app.collect;

import java.util.Map;
import java.util.TreeMap;

/** What one run did: printed by {@code intake poll}, stored with the run, counted in metrics. */
public final class PollSummary {

    private int fetched;
    private int tickets;
    private int followups;
    private int duplicates;
    private int failed;
    private final Map<String, Integer> refused = new TreeMap<>();

    void countFetched() {
        fetched++;
    }

    void countTicket() {
        tickets++;
    }

    void countFollowup() {
        followups++;
    }

    void countDuplicate() {
        duplicates++;
    }

    void countFailed() {
        failed++;
    }

    void countRefused(String reason) {
        refused.merge(reason, 1, Integer::sum);
    }

    /** Adds a committed batch's counts (a batch that is rolled back and taken again is counted once). */
    void add(PollSummary batch) {
        fetched += batch.fetched;
        tickets += batch.tickets;
        followups += batch.followups;
        duplicates += batch.duplicates;
        failed += batch.failed;
        batch.refused.forEach((reason, n) -> refused.merge(reason, n, Integer::sum));
    }

    public int fetched() {
        return fetched;
    }

    public int tickets() {
        return tickets;
    }

    public int followups() {
        return followups;
    }

    public int duplicates() {
        return duplicates;
    }

    public int failed() {
        return failed;
    }

    public Map<String, Integer> refused() {
        return Map.copyOf(refused);
    }

    public int refusedTotal() {
        return refused.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String toString() {
        return "fetched " + fetched + ", tickets " + tickets + ", followups " + followups + ", duplicates " + duplicates
                + ", refused " + refusedTotal() + (refused.isEmpty() ? "" : " " + refused) + ", failed " + failed;
    }
}
