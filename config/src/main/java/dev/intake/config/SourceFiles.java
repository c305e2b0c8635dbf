package dev.intake.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files one load reads (the config file, secret files, the trust store), each with a fingerprint of
 * exactly the bytes that went into the snapshot. Comparing fingerprints later tells whether anything changed,
 * whatever way the file was replaced (in-place write, an editor's rename, a symlink swap); timestamps would miss
 * some of these and see changes that are none.
 */
final class SourceFiles {

    /** What reading a file found. */
    enum State { READ, MISSING, DIRECTORY, NOT_A_FILE, TOO_LARGE, UNREADABLE }

    /** The outcome of a read; {@code bytes} only for {@link State#READ}. */
    record Content(State state, byte[] bytes) {
    }

    private final Map<Path, String> fingerprints = new LinkedHashMap<>();

    /**
     * Reads a file (absolute path) and records its fingerprint, also when it is missing, so its creation is seen.
     * Only regular files are opened, and never more than {@code maxBytes + 1} bytes of them: a reference to a device
     * ({@code /dev/zero}) or a named pipe must neither exhaust the memory nor block the reload thread.
     */
    Content read(Path file, int maxBytes) {
        Content content;
        try {
            if (!Files.exists(file)) {
                content = new Content(State.MISSING, null);
            } else if (Files.isDirectory(file)) {
                content = new Content(State.DIRECTORY, null);
            } else if (!Files.isRegularFile(file)) {
                content = new Content(State.NOT_A_FILE, null);
            } else {
                byte[] bytes = readAtMost(file, maxBytes + 1);
                content = bytes.length > maxBytes ? new Content(State.TOO_LARGE, null) : new Content(State.READ, bytes);
            }
        } catch (IOException e) {
            content = new Content(State.UNREADABLE, null);
        }
        fingerprints.put(file, content.state() == State.READ ? sha256Of(content.bytes()) : fingerprint(file));
        return content;
    }

    private static byte[] readAtMost(Path file, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(limit);
        }
    }

    /** Path to fingerprint, in the order the files were read. */
    Map<Path, String> fingerprints() {
        return Map.copyOf(fingerprints);
    }

    /**
     * The fingerprint {@link #read} would record for the file as it is now: the content's hash for files up to the
     * largest any source may be, else size and modification time (a huge file is refused whatever it holds).
     */
    static String fingerprint(Path file) {
        try {
            if (!Files.exists(file)) {
                return State.MISSING.name();
            }
            if (Files.isDirectory(file)) {
                return State.DIRECTORY.name();
            }
            if (!Files.isRegularFile(file)) {
                return State.NOT_A_FILE.name();
            }
            byte[] head = readAtMost(file, LARGEST_SOURCE + 1);
            if (head.length <= LARGEST_SOURCE) {
                return sha256Of(head);
            }
            return "large:" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return State.UNREADABLE.name();
        }
    }

    /** No source Intake reads is larger (trust stores: 10 MB; the configuration file: 1 MB; secrets: 64 KB). */
    static final int LARGEST_SOURCE = 10 * 1024 * 1024;

    static String sha256Of(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
