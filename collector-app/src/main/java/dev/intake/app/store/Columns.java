package dev.intake.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How stores map values to columns the same way: lists as lines, texts cut to their column, nullable numbers. */
public final class Columns {

    private Columns() {
    }

    public static String joinLines(List<String> values) {
        return values.isEmpty() ? null : String.join("\n", values);
    }

    public static List<String> splitLines(String value) {
        return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split("\n"));
    }

    /** Values longer than their column are cut rather than refused: a long subject must not stop a batch. */
    public static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    public static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    public static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
