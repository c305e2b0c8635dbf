package dev.intake.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * A valid configuration and the files it was made from.
 *
 * @param sources absolute paths of the config file, every {@code ${file:...}} it references and
 *                {@code tls.truststore}: what a reload watches
 */
public record LoadedConfig(IntakeConfig config, Set<Path> sources) {

    public LoadedConfig {
        sources = Set.copyOf(sources);
    }
}
