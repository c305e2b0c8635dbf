package dev.intake.app.support.database;

import dev.intake.app.crypto.KeyRing;
import dev.intake.app.crypto.SecretBox;
import dev.intake.app.store.Database;
import dev.intake.app.store.Transactions;
import dev.intake.config.DatabaseConfig;
import dev.intake.config.Secret;
import dev.intake.testing.MutableClock;
import dev.intake.testing.PostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * Intake's stores without the app: a fresh database of one {@link DatabaseKind}, migrated by {@link Database} as
 * Intake migrates it, with what stores are built with (a clock the test moves, a {@link SecretBox} with a key of its
 * own, {@link Transactions}). Each test gets its own and it is dropped afterwards; see {@link OnEachDatabase}.
 */
public final class StoreTestBed implements AutoCloseable {

    /** Where every bed's clock starts: a fixed instant, so that stored times can be compared exactly. */
    public static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

    private final DatabaseKind kind;
    private final Path dir;
    private final PostgresDatabase postgres;
    private final Database database;
    private final MutableClock clock = new MutableClock(START);
    private final SecretBox box;

    private StoreTestBed(DatabaseKind kind, Path dir, PostgresDatabase postgres, Database database) {
        this.kind = kind;
        this.dir = dir;
        this.postgres = postgres;
        this.database = database;
        byte[] key = new byte[KeyRing.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        this.box = new SecretBox(new KeyRing(Map.of("k1", key), "k1"));
    }

    /** A new, migrated database of {@code kind}. */
    public static StoreTestBed open(DatabaseKind kind) {
        if (kind == DatabaseKind.POSTGRESQL) {
            PostgresDatabase pg = PostgresDatabase.create();
            try {
                return new StoreTestBed(kind, null, pg, Database.open(
                        new DatabaseConfig(pg.url(), Optional.of(pg.user()), Optional.of(Secret.of("")), 4)));
            } catch (RuntimeException e) {
                pg.close();
                throw e;
            }
        }
        try {
            Path dir = Files.createTempDirectory("intake-store-test");
            return new StoreTestBed(kind, dir, null, Database.open(
                    new DatabaseConfig("jdbc:h2:file:" + dir.resolve("intake"), Optional.empty(), Optional.empty(), 4)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DatabaseKind kind() {
        return kind;
    }

    public Database database() {
        return database;
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    /** Transactions on this database, as collection and token refreshes start them. */
    public Transactions transactions() {
        return new Transactions(database.jdbi());
    }

    /** Starts at {@link #START}; only the test moves it. */
    public MutableClock clock() {
        return clock;
    }

    /** Seals with a random key of this bed's own ({@code k1}). */
    public SecretBox box() {
        return box;
    }

    @Override
    public void close() {
        try {
            database.close();
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            if (dir != null) {
                deleteRecursively(dir);
            }
        }
    }

    @Override
    public String toString() {
        return kind.displayName() + (postgres != null ? " " + postgres.url() : " " + dir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the store test's H2 directory " + dir, e);
        }
    }
}
