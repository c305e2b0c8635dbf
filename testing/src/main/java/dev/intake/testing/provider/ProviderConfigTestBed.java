package dev.intake.testing.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.intake.config.ConfigException;
import dev.intake.config.ConfigLoader;
import dev.intake.config.ConfigProblem;
import dev.intake.config.IntakeConfig;
import dev.intake.config.ProviderKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A provider module's configuration keys read as Intake reads them: a collector.yaml in a directory, loaded with the
 * real loader (the module's {@link ProviderKind} on the class path), and the documents that must show every key.
 */
public final class ProviderConfigTestBed {

    private final Path dir;

    public ProviderConfigTestBed(Path dir) {
        this.dir = dir;
    }

    public IntakeConfig load(String yaml) throws ConfigException {
        return new ConfigLoader(name -> null).load(write(yaml)).config();
    }

    /** The problems of a configuration that must be refused. */
    public List<ConfigProblem> problems(String yaml) {
        Path file = write(yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(name -> null).load(file));
        assertThat(e).as("the configuration should have been refused").isNotNull();
        return e.problems();
    }

    /** collector.example.yaml and the README (run from a module directory) show every key of the kind. */
    public static void assertDocumented(ProviderKind kind) throws IOException {
        String example = Files.readString(Path.of("../collector.example.yaml"));
        String readme = Files.readString(Path.of("../README.md"));
        for (String key : kind.keys()) {
            assertThat(Pattern.compile("(?m)^[ #-]*" + Pattern.quote(key) + ":").matcher(example).find())
                    .as("collector.example.yaml shows '%s'", key).isTrue();
            assertThat(readme).as("README.md documents '%s'", key).contains("`providers.NAME." + key + "`");
        }
    }

    private Path write(String yaml) {
        try {
            return Files.writeString(dir.resolve("collector.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
