package dev.intake.app.support.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * How many rows H2 reads for each query a store runs: every SELECT is run once more, with the same arguments, as
 * {@code EXPLAIN ANALYZE}, whose plan counts the rows each table's index cursor went through. A query that must stay
 * cheap however long Intake has run (one per message, per batch, per delivery poll) reads a handful of rows; one
 * that walks every record of a mailbox shows it at once, on a table a few thousand rows long.
 */
public final class ScanCounts implements SqlLogger {

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");
    /** What H2 says instead of a count when it answers from an index's size alone ({@code COUNT(*)}). */
    private static final String DIRECT_LOOKUP = "direct lookup";

    /** One query as the store ran it, and the rows H2 read for it. */
    public record Scan(String sql, long rows, String plan) {
    }

    private final List<Scan> scans = new ArrayList<>();

    /** Installs itself on the store test bed's Jdbi (H2 only: {@code EXPLAIN ANALYZE} is H2's syntax here). */
    public static ScanCounts on(Jdbi jdbi) {
        ScanCounts counts = new ScanCounts();
        jdbi.setSqlLogger(counts);
        return counts;
    }

    // Jdbi marks Binding's lookups for removal and offers no public replacement; a Jdbi that drops them fails to
    // compile this helper, which is then the place to change.
    @SuppressWarnings("removal")
    @Override
    public void logAfterExecution(StatementContext ctx) {
        String sql = ctx.getParsedSql().getSql();
        if (!sql.strip().toUpperCase(Locale.ROOT).startsWith("SELECT")) {
            return;
        }
        List<String> names = ctx.getParsedSql().getParameters().getParameterNames();
        try (PreparedStatement explain = ctx.getConnection().prepareStatement("EXPLAIN ANALYZE " + sql)) {
            for (int i = 0; i < names.size(); i++) {
                Argument argument = ctx.getParsedSql().getParameters().isPositional()
                        ? ctx.getBinding().findForPosition(i).orElseThrow()
                        : ctx.getBinding().findForName(names.get(i), ctx).orElseThrow();
                argument.apply(i + 1, explain, ctx);
            }
            try (ResultSet rs = explain.executeQuery()) {
                rs.next();
                String plan = rs.getString(1);
                long rows = 0;
                boolean counted = plan.contains(DIRECT_LOOKUP);
                Matcher m = SCAN_COUNT.matcher(plan);
                while (m.find()) {
                    rows += Long.parseLong(m.group(1));
                    counted = true;
                }
                if (!counted) {
                    // A plan that says nothing of rows read would count as none: every cost test would pass.
                    throw new IllegalStateException("H2's EXPLAIN ANALYZE reported no rows read (no scanCount, no "
                            + "direct lookup) for " + sql + "; has its plan format changed? Plan: " + plan);
                }
                synchronized (scans) {
                    scans.add(new Scan(sql, rows, plan));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not explain " + sql, e);
        }
    }

    /**
     * Asserts that the store ran at least one query since the last check and that none read more than {@code rows}
     * rows (its answers and an index boundary or two, for a cheap question); forgets them.
     */
    public void assertEachReadAtMost(long rows) {
        assertThat(take()).as("queries the store ran").isNotEmpty().allSatisfy(scan -> assertThat(scan.rows())
                .as("rows read for %s%nplan: %s", scan.sql(), scan.plan()).isLessThanOrEqualTo(rows));
    }

    /** The queries run since the last call, and forgets them. */
    public List<Scan> take() {
        synchronized (scans) {
            List<Scan> taken = List.copyOf(scans);
            scans.clear();
            return taken;
        }
    }
}
