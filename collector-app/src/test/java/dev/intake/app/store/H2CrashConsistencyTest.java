package dev.intake.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.config.DatabaseConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Intake relies on from its embedded H2 file after {@code kill -9}: the file opens again, and it holds a
 * consistent prefix of the commits (never a later batch without an earlier one, never half a batch). A child JVM
 * commits batches (a 1 MB value each, as a batch of mail with attachments) while three other connections rewrite rows
 * all the time (Quartz, web sessions and other mailboxes do), and kills itself with {@code kill -9} right after a
 * batch was made durable: the instant Intake moves the batch's messages on the server. The same file is killed again
 * and again, so that H2 reuses space in it as it does after months of service.
 *
 * <p>What H2 2.5 does not promise, and this test therefore only prints: that the last commits survive. On a file with
 * reused space it may reopen at a version up to about 20 commits old (see {@link RunMarker}); Intake re-imports what
 * such a rollback lost (ReconciliationTest, H2KillSoakProcessIT). On H2's default write delay, the file did not even
 * open again after some kills ("Chunk 74 not found"): 7 and 11 times in two runs of 100 (issue 12's closing note).
 */
class H2CrashConsistencyTest {

    static final int KILLS = 15;

    @Test
    void afterEveryKillNineTheFileOpensWithAConsistentPrefixOfTheCommits(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("intake");
        Random random = new Random();
        List<String> rolledBack = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            long before = lastBatch(url);
            long acknowledged = before + 3 + random.nextInt(25);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), CommitsThenKillsItself.class.getName(),
                    url, Long.toString(acknowledged))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + kill + ".log").toFile()).start();
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child %d ended", kill).isTrue();
            assertThat(child.exitValue()).as("child %d was killed with SIGKILL", kill).isEqualTo(128 + 9);

            long inFile = lastBatch(url); // throws when the file no longer opens
            assertThat(batches(url)).as("batches in the file after kill %d: 1 to %d without a gap", kill, inFile)
                    .isEqualTo(inFile);
            if (inFile < acknowledged) {
                rolledBack.add("kill " + kill + ": " + (acknowledged - inFile));
            }
        }
        System.out.println("H2 reopened at an older version than the last durable batch after " + rolledBack.size() + " of "
                + KILLS + " kills (batches rolled back: " + rolledBack + ")");
    }

    private static long batches(String url) {
        try (Database db = Database.open(new DatabaseConfig(url, Optional.empty(), Optional.empty(), 2))) {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM durability_batch").mapTo(Long.class).one());
        }
    }

    private static long lastBatch(String url) {
        try (Database db = Database.open(new DatabaseConfig(url, Optional.empty(), Optional.empty(), 2))) {
            return db.jdbi().withHandle(h -> {
                createTables(h);
                return h.createQuery("SELECT COALESCE(MAX(n), 0) FROM durability_batch").mapTo(Long.class).one();
            });
        }
    }

    static void createTables(Handle h) {
        h.execute("CREATE TABLE IF NOT EXISTS durability_batch (n BIGINT PRIMARY KEY, payload VARBINARY(2000000))");
        h.execute("CREATE TABLE IF NOT EXISTS durability_other (id INT PRIMARY KEY, payload VARBINARY(300000))");
    }

    /** The child: commits numbered batches until batch {@code args[1]} is durable, then sends itself SIGKILL. */
    public static final class CommitsThenKillsItself {
        public static void main(String[] args) throws Exception {
            Database db = Database.open(new DatabaseConfig(args[0], Optional.empty(), Optional.empty(), 8));
            long killAt = Long.parseLong(args[1]);
            for (int i = 0; i < 3; i++) {
                Random rows = new Random();
                Thread other = new Thread(() -> db.jdbi().useHandle(h -> {
                    while (true) {
                        h.createUpdate("MERGE INTO durability_other KEY (id) VALUES (:id, :p)")
                                .bind("id", rows.nextInt(20)).bind("p", new byte[100_000]).execute();
                    }
                }), "other-committer-" + i);
                other.setDaemon(true);
                other.start();
            }
            byte[] payload = new byte[1_000_000];
            new Random().nextBytes(payload);
            for (long n = db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(n), 0) FROM durability_batch")
                    .mapTo(Long.class).one()) + 1; ; n++) {
                long batch = n;
                db.jdbi().useTransaction(h -> h.createUpdate("INSERT INTO durability_batch VALUES (:n, :p)")
                        .bind("n", batch).bind("p", payload).execute());
                db.makeCommitsDurable();
                if (batch == killAt) {
                    // What Intake does next is move the batch's messages on the server; the process dies instead.
                    new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                }
            }
        }
    }
}
