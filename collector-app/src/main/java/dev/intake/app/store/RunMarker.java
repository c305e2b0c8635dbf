package dev.intake.app.store;

import dev.intake.config.DatabaseConfig;
import dev.intake.config.H2FileUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells whether the last node on an H2 file ended without a clean shutdown ({@code kill -9}, a crash, a power cut):
 * a file beside the database exists while a node runs and is removed after it closed the database.
 *
 * <p>Why it matters: after such an end, H2 2.5 may reopen the file at an older version than its last commit. When a
 * commit's chunk lands away from where the previous chunk predicted, H2 rewrites its file header with the previous
 * chunk (it records {@code lastChunk} before updating it), so recovery cannot follow the chain to the newer chunks and
 * falls back, losing up to about 20 versions that were written and fsynced. Intake then compares the folders it moved
 * mail to with its records and re-imports what has no record (see {@code Reconciler#recover}). PostgreSQL does not
 * need this: its commits survive a crash.
 */
public final class RunMarker {

    private final Optional<Path> file;

    private RunMarker(Optional<Path> file) {
        this.file = file;
    }

    public static RunMarker forDatabase(DatabaseConfig database) {
        return new RunMarker(H2FileUrl.parse(database.url())
                .map(h2 -> h2.location().resolveSibling(h2.location().getFileName() + ".running")));
    }

    /** True when the previous node on this H2 file did not shut down cleanly; always false on PostgreSQL. */
    public boolean lastRunEndedUncleanly() {
        return file.map(Files::exists).orElse(false);
    }

    /** A node starts on the database. */
    public void markRunning() {
        file.ifPresent(f -> {
            try {
                Files.writeString(f, "pid " + ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + f + " (it tells the next start whether this one "
                        + "ended cleanly): " + e.getMessage(), e);
            }
        });
    }

    /** The node closed the database cleanly. */
    public void markStopped() {
        file.ifPresent(f -> {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove " + f + ": " + e.getMessage(), e);
            }
        });
    }
}
