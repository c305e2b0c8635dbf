package dev.intake.app.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.testing.PostgresDatabase;
import dev.intake.config.DatabaseConfig;
import dev.intake.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    private static final List<String> TABLES = List.of("mailbox", "mailbox_authorization", "oauth_state", "folder_state",
            "ticket", "followup", "attachment", "processed_message", "poll_run", "provider_status",
            "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_fired_triggers", "qrtz_locks",
            "qrtz_scheduler_state");

    @Test
    void migratesAFreshH2FileAndIsCurrentAfterwards(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("intake");
        try (Database db = Database.open(new DatabaseConfig(url, Optional.empty(), Optional.empty(), 2))) {
            assertThat(tables(db)).containsAll(TABLES);
            assertThat(db.migrationsCurrent()).isTrue();
            assertThat(db.reachable()).isTrue();
        }
        assertThat(Files.exists(dir.resolve("intake.mv.db"))).isTrue();
        // Opening again is a no-op migration on the same file, and the data survives.
        try (Database db = Database.open(new DatabaseConfig(url, Optional.empty(), Optional.empty(), 2))) {
            assertThat(db.migrationsCurrent()).isTrue();
        }
    }

    @Test
    void theH2FileAndItsDirectoryAreForIntakesUserOnly(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (Database db = Database.open(new DatabaseConfig("jdbc:h2:file:" + data.resolve("intake"), Optional.empty(),
                Optional.empty(), 2))) {
            assertThat(java.nio.file.Files.getPosixFilePermissions(data))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            assertThat(java.nio.file.Files.getPosixFilePermissions(data.resolve("intake.mv.db")))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void migratesAThrowawayPostgresqlDatabase() {
        try (PostgresDatabase pg = PostgresDatabase.create();
                Database db = Database.open(new DatabaseConfig(pg.url(), Optional.of(pg.user()), Optional.of(Secret.of("")), 2))) {
            assertThat(db.vendor()).isEqualTo(Database.Vendor.POSTGRESQL);
            assertThat(tables(db)).containsAll(TABLES);
            assertThat(db.migrationsCurrent()).isTrue();
        }
    }

    @Test
    void aSecondProcessOnTheSameH2FileIsToldToUsePostgresql(@TempDir Path dir) throws Exception {
        // H2 refuses a second *process*; within one JVM the same file is shared, so this opens it
        // from another JVM the way a second Intake node would.
        String url = "jdbc:h2:file:" + dir.resolve("intake");
        try (Database first = Database.open(new DatabaseConfig(url, Optional.empty(), Optional.empty(), 1))) {
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SecondNode.class.getName(), url)
                    .redirectErrorStream(true).start();
            String out = new String(other.getInputStream().readAllBytes());
            assertThat(other.waitFor()).isEqualTo(3);
            assertThat(out).contains("already open in another Intake process").contains("PostgreSQL");
        }
    }

    @Test
    void anUnreachableServerGivesAMessageThatNamesTheUrlButNotThePassword() {
        assertThatThrownBy(() -> Database.open(new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/nothing",
                Optional.of("intake"), Optional.of(Secret.of("hunter2-db-password")), 1)))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/nothing")
                .hasMessageContaining("Check database.url")
                .hasMessageNotContaining("hunter2-db-password");
    }

    private static List<String> tables(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT LOWER(table_name) FROM information_schema.tables WHERE LOWER(table_schema) IN ('public')")
                .mapTo(String.class).list());
    }

    /** Entry point of the second JVM in {@link #aSecondProcessOnTheSameH2FileIsToldToUsePostgresql}. */
    public static final class SecondNode {
        public static void main(String[] args) {
            try (Database db = Database.open(new DatabaseConfig(args[0], Optional.empty(), Optional.empty(), 1))) {
                System.exit(0);
            } catch (DatabaseUnavailableException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
