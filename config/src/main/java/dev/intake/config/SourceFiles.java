package dev.intake.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
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
    enum State { READ, MISSING, DIRECTORY, TOO_LARGE, UNREADABLE }

    /** The outcome of a read; {@code bytes} only for {@link State#READ}. */
    record Content(State state, byte[] bytes) {
    }

    private final Map<Path, String> fingerprints = new LinkedHashMap<>();

    /** Reads a file (absolute path) and records its fingerprint, also when it is missing, so its creation is seen. */
    Content read(Path file, int maxBytes) {
        Content content;
        String fingerprint;
        try {
            if (!Files.exists(file)) {
                content = new Content(State.MISSING, null);
                fingerprint = State.MISSING.name();
            } else if (Files.isDirectory(file)) {
                content = new Content(State.DIRECTORY, null);
                fingerprint = State.DIRECTORY.name();
            } else if (Files.size(file) > maxBytes) {
                content = new Content(State.TOO_LARGE, null);
                fingerprint = streamedFingerprint(file);
            } else {
                byte[] bytes = Files.readAllBytes(file);
                content = new Content(State.READ, bytes);
                fingerprint = "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
            }
        } catch (IOException e) {
            content = new Content(State.UNREADABLE, null);
            fingerprint = State.UNREADABLE.name();
        }
        fingerprints.put(file, fingerprint);
        return content;
    }

    /** Path to fingerprint, in the order the files were read. */
    Map<Path, String> fingerprints() {
        return Map.copyOf(fingerprints);
    }

    /** The fingerprint {@link #read} would record for the file as it is now. */
    static String fingerprint(Path file) {
        try {
            if (!Files.exists(file)) {
                return State.MISSING.name();
            }
            if (Files.isDirectory(file)) {
                return State.DIRECTORY.name();
            }
            return streamedFingerprint(file);
        } catch (IOException e) {
            return State.UNREADABLE.name();
        }
    }

    private static String streamedFingerprint(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
