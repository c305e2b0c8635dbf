package dev.intake.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loads {@code collector.yaml} into a validated {@link IntakeConfig}: parses the YAML, resolves
 * {@code ${env:...}} and {@code ${file:...}} references, applies {@link Defaults} and checks every value.
 * All problems are gathered and reported together in one {@link ConfigException}.
 *
 * <p>Stateless apart from the environment it reads references from, so one instance may serve any number of
 * loads and threads.
 */
public final class ConfigLoader {

    /** A config file larger than this is the wrong file. */
    private static final int MAX_CONFIG_BYTES = 1024 * 1024;

    private final Function<String, String> env;

    /**
     * @param env looks up environment variables for {@code ${env:NAME}}; {@code System::getenv} in production,
     *            a map in tests. Returns null for a variable that is not set.
     */
    public ConfigLoader(Function<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * Loads and validates a config file.
     *
     * @throws ConfigException listing every problem found, each with its key path and what to do
     */
    public LoadedConfig load(Path file) throws ConfigException {
        Attempt attempt = attempt(file);
        if (attempt.config().isEmpty()) {
            throw new ConfigException(attempt.problems());
        }
        return new LoadedConfig(attempt.config().get(), attempt.fingerprints().keySet());
    }

    /** The configuration with no file at all: every default, no providers, no mailboxes. */
    public LoadedConfig defaults() {
        Problems problems = new Problems();
        SourceFiles sources = new SourceFiles();
        Path workingDir = Path.of("").toAbsolutePath();
        ReadContext ctx = new ReadContext(problems, new SecretReferences(env, workingDir, sources), sources, workingDir);
        IntakeConfig config = IntakeConfigReader.read(YamlNode.Mapping.empty(1), ctx);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the defaults do not validate: " + problems.all());
        }
        return new LoadedConfig(config, sources.fingerprints().keySet());
    }

    /**
     * One load, successful or not, with the fingerprints of every file it read: {@link ReloadingConfig} watches
     * those, including files that were missing, so that creating one triggers the next attempt.
     */
    record Attempt(Optional<IntakeConfig> config, List<ConfigProblem> problems, Map<Path, String> fingerprints) {
    }

    Attempt attempt(Path file) {
        Path configFile = file.toAbsolutePath().normalize();
        String name = configFile.getFileName() == null ? configFile.toString() : configFile.getFileName().toString();
        Path baseDir = configFile.getParent() == null ? configFile : configFile.getParent();
        Problems problems = new Problems();
        SourceFiles sources = new SourceFiles();
        SourceFiles.Content content = sources.read(configFile, MAX_CONFIG_BYTES);
        String text = switch (content.state()) {
            case READ -> decode(content.bytes(), name, problems);
            case MISSING -> fail(problems, name, configFile + " does not exist; create it (collector.example.yaml shows"
                    + " every key) or give the right path");
            case DIRECTORY -> fail(problems, name, configFile + " is a directory; give the path of the YAML file");
            case NOT_A_FILE -> fail(problems, name, configFile + " is not a regular file (a device or a pipe); give the "
                    + "path of the YAML file");
            case TOO_LARGE -> fail(problems, name, configFile + " is larger than 1 MB; is it the right file?");
            case UNREADABLE -> fail(problems, name, configFile + " cannot be read; check that Intake's user may read it");
        };
        if (text == null) {
            return new Attempt(Optional.empty(), problems.all(), sources.fingerprints());
        }
        ReadContext ctx = new ReadContext(problems, new SecretReferences(env, baseDir, sources), sources, baseDir);
        Optional<IntakeConfig> config = YamlDocument.parse(text, name, problems)
                .map(root -> IntakeConfigReader.read(root, ctx))
                .filter(c -> problems.isEmpty());
        return new Attempt(config, problems.all(), sources.fingerprints());
    }

    private static String fail(Problems problems, String name, String message) {
        problems.add(name, message);
        return null;
    }

    private static String decode(byte[] bytes, String name, Problems problems) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            // A byte order mark from a Windows editor is no part of the YAML.
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            return fail(problems, name, "is not UTF-8 text; save it as UTF-8");
        }
    }
}
