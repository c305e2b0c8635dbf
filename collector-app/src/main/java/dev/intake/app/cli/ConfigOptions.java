package dev.intake.app.cli;

import dev.intake.config.ConfigException;
import dev.intake.config.ConfigLoader;
import dev.intake.config.LoadedConfig;
import dev.intake.config.ReloadingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, shared by every command. Without it: {@code $INTAKE_CONFIG}, else {@code ./collector.yaml}
 * when it exists, else the defaults (no mailboxes, embedded H2 under ./data).
 */
public final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "collector.yaml to use (default: $INTAKE_CONFIG, else ./collector.yaml if present, else built-in defaults)")
    Path file;

    /** The file to read, or empty for the defaults. A file named explicitly must exist. */
    public Optional<Path> resolve() {
        if (file != null) {
            return Optional.of(file);
        }
        String env = System.getenv("INTAKE_CONFIG");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        Path local = Path.of("collector.yaml");
        return Files.exists(local) ? Optional.of(local) : Optional.empty();
    }

    public LoadedConfig load() throws ConfigException {
        ConfigLoader loader = new ConfigLoader(System::getenv);
        Optional<Path> path = resolve();
        return path.isPresent() ? loader.load(path.get()) : loader.defaults();
    }

    /** Without a file yet, Intake runs on the defaults and loads ./collector.yaml as soon as it appears. */
    public ReloadingConfig reloading() throws ConfigException {
        return ReloadingConfig.awaiting(new ConfigLoader(System::getenv), resolve().orElse(Path.of("collector.yaml")));
    }

    public String describeSource() {
        return resolve().map(p -> p.toAbsolutePath().toString())
                .orElse("built-in defaults (no collector.yaml yet; Intake loads ./collector.yaml when it appears)");
    }
}
