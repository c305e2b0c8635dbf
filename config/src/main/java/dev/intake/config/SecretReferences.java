package dev.intake.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}}, {@code ${env:NAME:-default}} and {@code ${file:path}} in a string value,
 * whole or embedded; <code>$${</code> stands for a literal <code>${</code>.
 *
 * <p>Problems name the reference and never the value it resolved to. Every referenced file is recorded in
 * the {@link SourceFiles} with the digest of the bytes actually read, so a reload notices a rotated secret.
 */
final class SecretReferences {

    /** A secret file is one value; anything bigger is a wrong path (a log, an archive) rather than a secret. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DEFAULT_PART = Pattern.compile("(\\$\\{env:[^}:]*):-[^}]*}");

    private final Function<String, String> env;
    private final Path baseDir;
    private final SourceFiles sources;

    /**
     * @param baseDir the config file's directory, against which {@code ${file:...}} paths resolve
     */
    SecretReferences(Function<String, String> env, Path baseDir, SourceFiles sources) {
        this.env = env;
        this.baseDir = baseDir;
        this.sources = sources;
    }

    /** A resolved string and, when references made it, the raw text (defaults hidden) to name in messages. */
    record Resolved(String value, Optional<String> reference) {

        /** How a message may name this value: quoted when written literally, else by its reference. */
        String describe() {
            return reference.map(r -> "the value of " + r).orElse("'" + value + "'");
        }

        @Override
        public String toString() {
            return "Resolved[" + reference.orElse("literal") + "]";
        }
    }

    /** Returns empty when a reference cannot be resolved; the problem is recorded then. */
    Optional<Resolved> resolve(String raw, String path, int line, Problems problems) {
        if (!raw.contains("${")) {
            return Optional.of(new Resolved(raw, Optional.empty()));
        }
        StringBuilder out = new StringBuilder();
        boolean referenced = false;
        boolean failed = false;
        int i = 0;
        while (i < raw.length()) {
            if (raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (raw.startsWith("${", i)) {
                int end = raw.indexOf('}', i + 2);
                if (end < 0) {
                    problems.add(path, "'${' starts a reference that is never closed with '}'; write ${env:NAME} or"
                            + " ${file:path}, or $${ for a literal ${", line);
                    return Optional.empty();
                }
                String reference = raw.substring(i, end + 1);
                Optional<String> value = resolveOne(reference, raw.substring(i + 2, end), path, line, problems);
                value.ifPresent(out::append);
                failed |= value.isEmpty();
                referenced = true;
                i = end + 1;
            } else {
                out.append(raw.charAt(i));
                i++;
            }
        }
        if (failed) {
            return Optional.empty();
        }
        return Optional.of(new Resolved(out.toString(), referenced ? Optional.of(hideDefaults(raw)) : Optional.empty()));
    }

    private Optional<String> resolveOne(String reference, String body, String path, int line, Problems problems) {
        if (body.startsWith("env:")) {
            return resolveEnv(reference, body.substring("env:".length()), path, line, problems);
        }
        if (body.startsWith("file:")) {
            return resolveFile(reference, body.substring("file:".length()), path, line, problems);
        }
        // The body is not echoed: it might be a literal secret that happens to contain "${".
        problems.add(path, "holds a ${...} that is not a reference Intake knows; write ${env:NAME},"
                + " ${env:NAME:-default} or ${file:path}, or $${ for a literal ${", line);
        return Optional.empty();
    }

    private Optional<String> resolveEnv(String reference, String spec, String path, int line, Problems problems) {
        int dash = spec.indexOf(":-");
        String name = dash < 0 ? spec : spec.substring(0, dash);
        if (!ENV_NAME.matcher(name).matches()) {
            problems.add(path, "'" + name + "' in " + hideDefaults(reference) + " is not an environment variable name;"
                    + " use letters, digits and _", line);
            return Optional.empty();
        }
        String value = env.apply(name);
        if (value != null) {
            return Optional.of(value);
        }
        if (dash >= 0) {
            return Optional.of(spec.substring(dash + 2));
        }
        problems.add(path, "environment variable " + name + " is not set (from " + reference + "); export it or give a"
                + " default with ${env:" + name + ":-...}", line);
        return Optional.empty();
    }

    private Optional<String> resolveFile(String reference, String spec, String path, int line, Problems problems) {
        if (spec.isBlank()) {
            problems.add(path, reference + " names no file; write ${file:path}, relative to " + baseDir, line);
            return Optional.empty();
        }
        Path file;
        try {
            file = baseDir.resolve(spec).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.add(path, "'" + spec + "' in " + reference + " is not a usable path", line);
            return Optional.empty();
        }
        SourceFiles.Content content = sources.read(file, MAX_FILE_BYTES);
        String where = " (from " + reference + "; relative paths start at " + baseDir + ")";
        switch (content.state()) {
            case MISSING -> problems.add(path, "file " + file + " does not exist" + where + "; create it or fix the path",
                    line);
            case DIRECTORY -> problems.add(path, file + " is a directory" + where + "; name the file that holds the value",
                    line);
            case NOT_A_FILE -> problems.add(path, file + " is not a regular file (a device or a pipe)" + where
                    + "; name the file that holds the value", line);
            case TOO_LARGE -> problems.add(path, "file " + file + " is larger than " + MAX_FILE_BYTES / 1024 + " KB"
                    + where + "; a secret file holds just the value", line);
            case UNREADABLE -> problems.add(path, "file " + file + " cannot be read" + where
                    + "; check that Intake's user may read it", line);
            case READ -> {
                try {
                    return Optional.of(trimOneNewline(utf8(content.bytes())));
                } catch (CharacterCodingException e) {
                    problems.add(path, "file " + file + " is not UTF-8 text" + where + "; a binary file (a .p12 or"
                            + " .pfx certificate) is referenced by its base64: base64 -w0 FILE > FILE.b64", line);
                }
            }
        }
        return Optional.empty();
    }

    /** Editors and {@code echo} end files with a newline that is no part of the secret; only one is taken off. */
    private static String trimOneNewline(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        if (text.endsWith("\n")) {
            return text.substring(0, text.length() - 1);
        }
        return text;
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** A default may be a literal secret ({@code ${env:X:-hunter2}}): messages show {@code ${env:X:-...}}. */
    static String hideDefaults(String raw) {
        return DEFAULT_PART.matcher(raw).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + ":-...}"));
    }
}
