package dev.intake.app.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.intake.config.DatabaseConfig;
import dev.intake.config.H2FileUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intake's database: a connection pool, the schema brought up to date by Flyway, and a {@link Jdbi} handle for the
 * stores. Embedded H2 (one process) by default; PostgreSQL when several nodes share it.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Vendor vendor;

    private Database(HikariDataSource dataSource, Vendor vendor) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.jdbi = Jdbi.create(dataSource);
        // Jdbi's default message puts a failed statement's bound values in the exception, and so in logs and in the
        // error recorded for a message: mail text, encrypted grants. The statement alone says what failed.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(
                e -> e.getShortMessage() + " [statement: " + statementOf(e) + "]");
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @throws DatabaseUnavailableException with a message that says what to do
     */
    public static Database open(DatabaseConfig config) {
        return open(config, true);
    }

    /**
     * @param migrate false for read-only inspection (e.g. {@code config check}), which must not create or change a schema
     */
    public static Database open(DatabaseConfig config, boolean migrate) {
        Vendor vendor = Vendor.of(config.url());
        Optional<H2FileUrl> h2File = vendor == Vendor.H2 ? H2FileUrl.parse(config.url()) : Optional.empty();
        if (migrate) {
            h2File.ifPresent(Database::createPrivateDirectory);
        }
        HikariConfig hc = new HikariConfig();
        String url = vendor == Vendor.H2 ? h2Url(config.url()) : config.url();
        // Inspection must not create an empty H2 file where none is.
        hc.setJdbcUrl(!migrate && vendor == Vendor.H2 && !url.contains("IFEXISTS") ? url + ";IFEXISTS=TRUE" : url);
        config.user().ifPresent(hc::setUsername);
        config.password().ifPresent(p -> hc.setPassword(p.reveal()));
        // Flyway holds a second connection while it migrates.
        hc.setMaximumPoolSize(Math.max(2, config.poolSize()));
        hc.setPoolName("intake-db");
        if (vendor == Vendor.POSTGRESQL) {
            // PostgreSQL's errors carry the failing row's values ("Detail: Failing row contains ..."); they must not
            // reach logs or the error an admin reads. The error itself still names the constraint or column.
            hc.addDataSourceProperty("logServerErrorDetail", "false");
        }
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(1);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (HikariPool.PoolInitializationException e) {
            throw DatabaseUnavailableException.explain(config.url(), e);
        }
        Database db = new Database(ds, vendor);
        if (!migrate) {
            return db;
        }
        try {
            db.migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        h2File.ifPresent(Database::makeFilesPrivate);
        return db;
    }

    /**
     * The URL Intake opens an H2 file with: see {@link H2FileUrl#jdbcUrl()} for why each setting. A second process on
     * the same file fails at once with a lock error (see {@link DatabaseUnavailableException}).
     */
    private static String h2Url(String url) {
        return H2FileUrl.parse(url).map(H2FileUrl::jdbcUrl).orElseThrow(() -> new IllegalArgumentException(
                "database.url '" + url + "' is not an H2 file database; `intake config check` says what to write"));
    }

    /**
     * Tickets, raw mail and sealed grants are in the H2 file: its directory and the file are for Intake's user only
     * (the default umask would let every local user read them), also in an installation made before that was so.
     */
    private static void createPrivateDirectory(H2FileUrl h2) {
        Path dir = h2.location().toAbsolutePath().getParent();
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
            }
            Files.setPosixFilePermissions(dir, PRIVATE_DIRECTORY);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Could not make {} readable by Intake's user only ({}); check its permissions", dir, e.getMessage());
        }
    }

    private static void makeFilesPrivate(H2FileUrl h2) {
        Path location = h2.location().toAbsolutePath();
        for (String suffix : List.of(".mv.db", ".trace.db", ".lock.db")) {
            Path file = location.resolveSibling(location.getFileName() + suffix);
            try {
                if (Files.exists(file)) {
                    Files.setPosixFilePermissions(file, PRIVATE_FILE);
                }
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("Could not make {} readable by Intake's user only ({}); check its permissions", file, e.getMessage());
            }
        }
    }

    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private void migrate() {
        flyway().migrate();
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor.folder)
                .placeholders(Map.of("clob", vendor.clob, "blob", vendor.blob))
                .load();
    }

    /** True when every migration shipped with this build has been applied (the readiness check). */
    public boolean migrationsCurrent() {
        MigrationInfo[] pending = flyway().info().pending();
        return pending.length == 0;
    }

    /** True when a connection can be had and answers a trivial query within two seconds. */
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Makes every commit so far durable, before the IMAP server is changed on the strength of them. A PostgreSQL commit
     * already is (it returns after the write-ahead log's fsync). On H2, Intake opens the file with
     * {@code WRITE_DELAY=0}, so each commit is written to the file by the committing thread before it returns: a
     * {@code kill -9} from then on cannot undo it. {@code CHECKPOINT SYNC} adds the fsync, so that a power cut cannot
     * either. (It is not the barrier itself: with H2's default write delay it returned while commits still waited in
     * H2's background writer threads; see {@link H2FileUrl#jdbcUrl()}.)
     */
    public void makeCommitsDurable() {
        if (vendor == Vendor.H2) {
            jdbi.useHandle(h -> h.execute("CHECKPOINT SYNC"));
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Vendor vendor() {
        return vendor;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** The databases Intake runs on, and what differs between them. */
    public enum Vendor {
        H2("h2", "CLOB", "BLOB"),
        POSTGRESQL("postgresql", "TEXT", "BYTEA");

        final String folder;
        final String clob;
        final String blob;

        Vendor(String folder, String clob, String blob) {
            this.folder = folder;
            this.clob = clob;
            this.blob = blob;
        }

        static Vendor of(String url) {
            if (url.startsWith("jdbc:h2:")) {
                return H2;
            }
            if (url.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            throw new IllegalArgumentException("database.url must start with jdbc:h2: or jdbc:postgresql:");
        }
    }

    private static String statementOf(StatementException e) {
        String sql = e.getStatementContext() == null ? null : e.getStatementContext().getRenderedSql();
        if (sql == null) {
            return "?";
        }
        return sql.length() <= 300 ? sql : sql.substring(0, 300) + "...";
    }
}
