package dev.intake.bench.node;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Databases the benchmark creates on a PostgreSQL server ({@code --postgres}), one per scenario, and drops at the
 * end of the run. User postgres with trust authentication, as on the machine the tests run on.
 */
public final class ThrowawayDatabases implements AutoCloseable {

    public static final String USER = "postgres";

    private final String server;
    private final List<String> created = new ArrayList<>();

    public ThrowawayDatabases(String server) {
        this.server = server;
    }

    /** @return the new database's JDBC URL */
    public synchronized String create() {
        String name = "intake_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        created.add(name);
        return server + name;
    }

    @Override
    public synchronized void close() {
        for (String name : created) {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        created.clear();
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(server + "postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + server + " refused '" + sql + "' (user " + USER
                    + ", trust auth expected): " + e.getMessage(), e);
        }
    }
}
