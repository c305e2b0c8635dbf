package dev.intake.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throwaway database on a PostgreSQL server (by default the machine's, 127.0.0.1:5432, user postgres, trust auth):
 * created for one test class or benchmark scenario, dropped afterwards. Override the tests' server with
 * -Dintake.test.postgres=jdbc:postgresql://host:port/. The driver comes from the class path of whoever uses it.
 */
public final class PostgresDatabase implements AutoCloseable {

    public static final String DEFAULT_SERVER = System.getProperty("intake.test.postgres", "jdbc:postgresql://127.0.0.1:5432/");
    public static final String USER = System.getProperty("intake.test.postgres.user", "postgres");

    private final String server;
    private final String name;

    private PostgresDatabase(String server, String name) {
        this.server = server;
        this.name = name;
    }

    public static PostgresDatabase create() {
        return create(DEFAULT_SERVER);
    }

    /**
     * A throwaway database on the given server.
     *
     * @param server a JDBC URL ending in {@code /}, without a database name
     */
    public static PostgresDatabase create(String server) {
        String name = "intake_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try {
            execute(server, "CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + server + " is needed here (user " + USER
                    + ", trust auth); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
        }
        return new PostgresDatabase(server, name);
    }

    public String url() {
        return server + name;
    }

    public String user() {
        return USER;
    }

    @Override
    public void close() {
        try {
            execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the throwaway database " + name, e);
        }
    }

    private static void execute(String server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server + "postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
