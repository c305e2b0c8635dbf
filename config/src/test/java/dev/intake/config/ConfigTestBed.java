package dev.intake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A config directory in a temp dir, an environment the test controls, and a loader reading both. */
final class ConfigTestBed {

    /** Enough for a mailbox to validate; tests add or break one thing at a time. */
    static final String ONE_PROVIDER = """
            providers:
              entra:
                tenant: contoso.onmicrosoft.com
                client-id: 11111111-2222-3333-4444-555555555555
                client-secret: entra-client-secret-value
            """;

    final Path dir;
    final Map<String, String> env = new HashMap<>();
    final ConfigLoader loader = new ConfigLoader(env::get);

    ConfigTestBed(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String content) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    Path config(String yaml) {
        return write("collector.yaml", yaml);
    }

    LoadedConfig loadedFrom(String yaml) throws ConfigException {
        return loader.load(config(yaml));
    }

    IntakeConfig load(String yaml) throws ConfigException {
        return loadedFrom(yaml).config();
    }

    ConfigException failure(String yaml) {
        Path file = config(yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));
        assertThat(e).as("the configuration should have been refused").isNotNull();
        return e;
    }

    List<ConfigProblem> problems(String yaml) {
        return failure(yaml).problems();
    }

    /** Asserts one problem at exactly this path whose message contains every fragment. */
    static void assertProblem(List<ConfigProblem> problems, String path, String... fragments) {
        assertThat(problems)
                .as("problems: %s", problems)
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo(path);
                    assertThat(p.message()).contains(fragments);
                });
    }

    /** A well-formed AES-256 key, different per seed. */
    static String key32(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
