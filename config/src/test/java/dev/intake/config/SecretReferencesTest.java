package dev.intake.config;

import static dev.intake.config.ConfigTestBed.ONE_PROVIDER;
import static dev.intake.config.ConfigTestBed.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReferencesTest {

    @TempDir
    Path dir;
    ConfigTestBed fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigTestBed(dir);
    }

    private static String withSecret(String reference) {
        return """
                providers:
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: app
                    client-secret: %s
                """.formatted(reference);
    }

    private String clientSecret(String yaml) throws ConfigException {
        return fx.load(yaml).provider("entra").orElseThrow().clientSecret().reveal();
    }

    @Test
    void environmentVariableIsTheWholeValue() throws Exception {
        fx.env.put("ENTRA_CLIENT_SECRET", "from-the-environment");

        assertThat(clientSecret(withSecret("${env:ENTRA_CLIENT_SECRET}"))).isEqualTo("from-the-environment");
    }

    @Test
    void environmentVariableWinsOverItsDefault() throws Exception {
        fx.env.put("ENTRA_CLIENT_SECRET", "set");

        assertThat(clientSecret(withSecret("${env:ENTRA_CLIENT_SECRET:-fallback}"))).isEqualTo("set");
    }

    @Test
    void defaultIsUsedWhenTheVariableIsNotSet() throws Exception {
        assertThat(clientSecret(withSecret("${env:ENTRA_CLIENT_SECRET:-fallback-value}"))).isEqualTo("fallback-value");
    }

    @Test
    void emptyDefaultMakesAnOptionalSecretAbsent() throws Exception {
        IntakeConfig config = fx.load(withSecret("plain") + "    client-secret-next: ${env:NEXT_SECRET:-}\n");

        assertThat(config.provider("entra").orElseThrow().clientSecretNext()).isEmpty();
    }

    @Test
    void emptyDefaultForARequiredSecretIsAProblemNamingTheReference() {
        List<ConfigProblem> problems = fx.problems(withSecret("${env:ENTRA_CLIENT_SECRET:-}"));

        assertProblem(problems, "providers.entra.client-secret", "is empty", "${env:ENTRA_CLIENT_SECRET:-...}");
    }

    @Test
    void fileIsReadRelativeToTheConfigFilesDirectoryWithOneTrailingNewlineTrimmed() throws Exception {
        fx.write("secrets/entra", "file-secret\n");

        assertThat(clientSecret(withSecret("${file:./secrets/entra}"))).isEqualTo("file-secret");
    }

    @Test
    void onlyOneTrailingNewlineIsTrimmedAndWindowsLineEndsCount() throws Exception {
        fx.write("crlf", "windows\r\n");
        fx.write("two", "two-newlines\n\n");
        fx.write("none", "  spaces kept  ");
        String yaml = withSecret("${file:crlf}")
                + "    client-secret-next: ${file:two}\n"
                + "database:\n  password: ${file:none}\n";

        IntakeConfig config = fx.load(yaml);

        assertThat(config.provider("entra").orElseThrow().clientSecret().reveal()).isEqualTo("windows");
        assertThat(config.provider("entra").orElseThrow().clientSecretNext().orElseThrow().reveal())
                .isEqualTo("two-newlines\n");
        assertThat(config.database().password().orElseThrow().reveal()).isEqualTo("  spaces kept  ");
    }

    @Test
    void configInAnotherDirectoryResolvesFilesFromThere() throws Exception {
        fx.write("etc/intake/secrets/entra", "beside-the-config");
        Path config = fx.write("etc/intake/collector.yaml", withSecret("${file:secrets/entra}"));

        IntakeConfig loaded = fx.loader.load(config).config();

        assertThat(loaded.provider("entra").orElseThrow().clientSecret().reveal()).isEqualTo("beside-the-config");
    }

    @Test
    void referencesMayBeEmbeddedInALongerValue() throws Exception {
        fx.env.put("DB_HOST", "db.internal");
        fx.write("dbname", "tickets\n");
        String yaml = """
                database:
                  url: jdbc:postgresql://${env:DB_HOST}:5432/${file:dbname}?ssl=true
                encryption:
                  key-file: ./intake.key
                """;

        assertThat(fx.load(yaml).database().url()).isEqualTo("jdbc:postgresql://db.internal:5432/tickets?ssl=true");
    }

    @Test
    void doubleDollarIsALiteralDollarBrace() throws Exception {
        assertThat(clientSecret(withSecret("\"ab$${env:NOT_A_REFERENCE}\""))).isEqualTo("ab${env:NOT_A_REFERENCE}");
    }

    @Test
    void missingEnvironmentVariableNamesKeyReferenceAndFix() {
        List<ConfigProblem> problems = fx.problems(withSecret("${env:ENTRA_CLIENT_SECRET}"));

        assertThat(problems).extracting(ConfigProblem::toString).contains(
                "providers.entra.client-secret: environment variable ENTRA_CLIENT_SECRET is not set"
                        + " (from ${env:ENTRA_CLIENT_SECRET}); export it or give a default with"
                        + " ${env:ENTRA_CLIENT_SECRET:-...} (line 5)");
    }

    @Test
    void missingFileNamesTheResolvedPathAndTheReference() {
        List<ConfigProblem> problems = fx.problems(withSecret("${file:secrets/nowhere}"));

        assertProblem(problems, "providers.entra.client-secret",
                dir.resolve("secrets/nowhere").toString() + " does not exist", "${file:secrets/nowhere}",
                "create it or fix the path");
    }

    @Test
    void directoryInsteadOfAFileIsAProblem() {
        fx.write("secrets/x", "");

        assertProblem(fx.problems(withSecret("${file:secrets}")), "providers.entra.client-secret", "is a directory");
    }

    @Test
    void unknownReferenceFormAndUnclosedReferenceAreProblemsThatDoNotEchoTheValue() {
        List<ConfigProblem> problems = fx.problems(withSecret("\"${vault:hunter2}\"")
                + "    client-secret-next: \"pre${env:X\"\n");

        assertProblem(problems, "providers.entra.client-secret", "not a reference Intake knows", "$${");
        assertProblem(problems, "providers.entra.client-secret-next", "never closed");
        assertThat(problems.toString()).doesNotContain("hunter2");
    }

    @Test
    void referenceInANonSecretValueIsNamedInsteadOfItsResolvedValue() {
        fx.env.put("PORT", "not-a-number-secretish");

        List<ConfigProblem> problems = fx.problems("server:\n  port: ${env:PORT}\n");

        assertProblem(problems, "server.port", "the value of ${env:PORT} is not a whole number");
        assertThat(problems.toString()).doesNotContain("not-a-number-secretish");
    }

    @Test
    void defaultsOfReferencesAreNotShownInMessages() {
        List<ConfigProblem> problems = fx.problems("server:\n  port: ${env:PORT:-literal-default-77}\n");

        assertProblem(problems, "server.port", "${env:PORT:-...}");
        assertThat(problems.toString()).doesNotContain("literal-default-77");
    }

    @Test
    void sourcesAreTheConfigFileEverySecretFileAndTheTrustStore() throws Exception {
        fx.write("secrets/entra", "s");
        fx.write("secrets/next", "n");
        String yaml = withSecret("${file:secrets/entra}") + "    client-secret-next: ${file:./secrets/../secrets/next}\n";

        LoadedConfig loaded = fx.loadedFrom(yaml);

        assertThat(loaded.sources()).containsExactlyInAnyOrder(
                dir.resolve("collector.yaml"), dir.resolve("secrets/entra"), dir.resolve("secrets/next"));
    }

    @Test
    void referencesWorkInEveryStringValueIncludingNumbersAndListItems() throws Exception {
        fx.env.put("PORT", "9090");
        fx.env.put("BLOCKED", "*@SPAM.example");
        String yaml = ONE_PROVIDER + """
                server:
                  port: ${env:PORT}
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                    paused: ${env:PAUSED:-true}
                    blocked-senders: ["${env:BLOCKED}"]
                """;

        IntakeConfig config = fx.load(yaml);

        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.server().publicUrl()).hasToString("http://localhost:9090");
        assertThat(config.mailboxes().get(0).paused()).isTrue();
        assertThat(config.mailboxes().get(0).blockedSenders()).containsExactly("*@spam.example");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aDeviceOrANamedPipeIsRefusedWithoutReadingIt() throws Exception {
        assertProblem(fx.problems(withSecret("${file:/dev/zero}")), "providers.entra.client-secret",
                "/dev/zero is not a regular file (a device or a pipe)", "name the file that holds the value");
        java.nio.file.Path fifo = dir.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertProblem(fx.problems(withSecret("${file:" + fifo + "}")), "providers.entra.client-secret",
                "is not a regular file");
    }
}
