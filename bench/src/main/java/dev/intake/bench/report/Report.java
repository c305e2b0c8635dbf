package dev.intake.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's one table (figure, value, target, met), the sections that explain it, and the scenarios that
 * failed, rendered as Markdown: printed as it is, and appended as it is to RESULTS.md.
 */
public final class Report {

    private final List<String> header = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> sections = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    public void header(String line) {
        header.add(line);
    }

    /** A row without a target. */
    public void row(String figure, String value) {
        rows.add(new String[] {figure, value, "", ""});
    }

    public void row(String figure, String value, String target, boolean met) {
        rows.add(new String[] {figure, value, target, met ? "yes" : "**NO**"});
    }

    public void section(String markdown) {
        sections.add(markdown);
    }

    public void failure(String scenario, String message) {
        failures.add(scenario);
        rows.add(new String[] {scenario, "**FAILED**: " + message.replace("\n", " ").replace("|", "/"), "", "**NO**"});
    }

    public boolean anyFailure() {
        return !failures.isEmpty();
    }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        for (String h : header) {
            b.append(h).append("\n");
        }
        b.append("\n| Figure | Value | Target | Met |\n|---|---|---|---|\n");
        for (String[] r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        for (String s : sections) {
            b.append("\n").append(s);
            if (!s.endsWith("\n")) {
                b.append("\n");
            }
        }
        return b.toString();
    }

    // ---- formatting shared by the scenarios ----

    public static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    public static String rate(long messages, long bytes, double seconds) {
        return String.format(Locale.ROOT, "%.1f msg/s, %.1f MB/s (%d messages, %s in %.1f s)", messages / seconds,
                bytes / (1024.0 * 1024) / seconds, messages, mb(bytes), seconds);
    }

    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }
}
