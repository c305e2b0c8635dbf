package dev.intake.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An embedded H2 database in a local file, as {@code database.url} names it: {@code jdbc:h2:file:PATH},
 * {@code jdbc:h2:async:PATH} or a bare {@code jdbc:h2:PATH}, with H2 settings after {@code ;}. Other H2 forms
 * (in memory, a remote server, other file systems) are not file databases Intake can make durable.
 *
 * <p>The URL Intake opens is not the one written: {@link #jdbcUrl()} puts the file on H2's {@code async:} file system
 * and sets {@code WRITE_DELAY=0}, which is why a written {@code WRITE_DELAY} is refused (see the README's
 * "What is durable, and when").
 */
public record H2FileUrl(String path, List<String> settings) {

    private static final String PREFIX = "jdbc:h2:";

    /**
     * Parsed statements H2 keeps per connection (its default is 8). Storing one message runs a dozen different
     * statements, so with 8 every one was parsed and planned again for every message: about a tenth of the CPU of
     * collecting, measured by the benchmark.
     */
    static final int QUERY_CACHE_SIZE = 64;

    /**
     * H2's page cache in KB (its default is 16 MB). Every attachment passes through it on its way to the file, and at
     * 16 MB that flow pushed out the index pages each message's duplicate check reads: in the benchmark, the run's
     * thread waited on file reads for a sixth of the warm run, and a 64 MB cache halved those reads. 32 MB raised the
     * warm rate by about 8% (three runs against four) for about 10 MB more of live heap; 64 MB by no more, for 30 MB.
     */
    static final int CACHE_SIZE_KB = 32 * 1024;

    /** The H2 settings Intake decides itself; written in {@code database.url} they are an error. */
    static final List<String> OWN_SETTINGS = List.of("WRITE_DELAY");

    public H2FileUrl {
        settings = List.copyOf(settings);
    }

    /** The file database a URL names, or empty when it is not an H2 file URL (PostgreSQL, H2 in memory or remote). */
    public static Optional<H2FileUrl> parse(String url) {
        if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        // -1: never an empty array; "jdbc:h2:;" would otherwise have no parts[0]
        String[] parts = url.substring(PREFIX.length()).split(";", -1);
        String location = parts[0];
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            location = location.substring("file:".length());
        } else if (lower.startsWith("async:")) {
            location = location.substring("async:".length());
        } else if (lower.matches("[a-z][a-z0-9]+:.*")) {
            // mem:, tcp:, ssl:, zip:, split:, nio:, retry:, ... (a one-letter Windows drive is a path, not a prefix)
            return Optional.empty();
        }
        if (location.isBlank()) {
            return Optional.empty();
        }
        List<String> settings = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isBlank()) {
                settings.add(parts[i].trim());
            }
        }
        return Optional.of(new H2FileUrl(location, settings));
    }

    /** The database file's path without H2's {@code .mv.db} suffix; {@code ~} is the user's home. */
    public Path location() {
        String p = path.startsWith("~") ? System.getProperty("user.home") + path.substring(1) : path;
        return Path.of(p);
    }

    private boolean written(String setting) {
        return settings.stream().anyMatch(s -> s.toUpperCase(Locale.ROOT).startsWith(setting));
    }

    /** The written settings that Intake decides itself ({@link #OWN_SETTINGS}), by name. */
    List<String> ownSettingsWritten() {
        return settings.stream().map(s -> s.split("=", 2)[0].trim().toUpperCase(Locale.ROOT))
                .filter(OWN_SETTINGS::contains).toList();
    }

    /**
     * The URL Intake connects with. {@code WRITE_DELAY=0}: a commit returns once the committing thread has written it
     * to the file; with H2's default delay, commits are handed to background writer threads, which a {@code kill -9}
     * can cut off mid-chunk (a file that loses acknowledged commits or does not open at all). {@code async:}: the
     * file is read and written through an {@code AsynchronousFileChannel}, which {@code Thread.interrupt()} does not
     * close, so a thread interrupted while it writes (Quartz interrupts job threads at shutdown) cannot close the
     * database. {@code DB_CLOSE_ON_EXIT=FALSE}: Intake closes the database itself, after its last run.
     * {@code QUERY_CACHE_SIZE} and {@code CACHE_SIZE}: see {@link #QUERY_CACHE_SIZE} and {@link #CACHE_SIZE_KB}. The last
     * three only when not written.
     */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder(PREFIX).append("async:").append(path);
        for (String s : settings) {
            url.append(';').append(s);
        }
        if (!written("DB_CLOSE_ON_EXIT")) {
            url.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        if (!written("QUERY_CACHE_SIZE")) {
            url.append(";QUERY_CACHE_SIZE=").append(QUERY_CACHE_SIZE);
        }
        if (!written("CACHE_SIZE")) {
            url.append(";CACHE_SIZE=").append(CACHE_SIZE_KB);
        }
        return url.append(";WRITE_DELAY=0").toString();
    }
}
