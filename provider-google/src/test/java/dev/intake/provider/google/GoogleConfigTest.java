package dev.intake.provider.google;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.config.ConfigProblem;
import dev.intake.config.ConfigSummary;
import dev.intake.config.IntakeConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.config.ProviderKinds;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.intake.testing.provider.ProviderConfigTestBed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Google provider's own keys, {@code auth-uri} and {@code token-uri}, as {@code collector.yaml} gives them. */
class GoogleConfigTest {

    @TempDir
    Path dir;

    @Test
    void endpointsDefaultToGooglesOwn() throws Exception {
        IntakeConfig config = load("""
                providers:
                  google:
                    client-id: g
                    client-secret: s
                """);

        ProviderConfig google = config.provider("google").orElseThrow();
        assertThat(google.type()).isEqualTo("google");
        assertThat(google.settings()).isEqualTo(new GoogleSettings(
                URI.create("https://accounts.google.com/o/oauth2/v2/auth"), URI.create("https://oauth2.googleapis.com/token")));
        assertThat(google.settings().registration()).isEmpty();
        assertThat(ConfigSummary.describe(config)).contains("google: type google, client id g, client secret set,"
                + " auth URI https://accounts.google.com/o/oauth2/v2/auth, token URI https://oauth2.googleapis.com/token,"
                + " IMAP security tls");
        assertThat(ProviderKinds.installed().displayName("google")).isEqualTo("Google");
    }

    @Test
    void endpointsAreChecked() {
        List<ConfigProblem> problems = problems("""
                providers:
                  google:
                    client-id: g
                    client-secret: s
                    token-uri: not a url
                    auth-uri: /relative
                  test:
                    type: google
                    client-id: g
                    client-secret: s
                    auth-uri: http://127.0.0.1:9999/auth?x=1
                    token-uri: ftp://127.0.0.1/token
                """);

        assertThat(problems).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "providers.google.auth-uri: '/relative' is not a full URL with a host;"
                        + " write it like https://accounts.google.com/o/oauth2/v2/auth (line 6)",
                "providers.google.token-uri: 'not a url' is not a URL; write it like https://oauth2.googleapis.com/token"
                        + " (line 5)",
                "providers.test.auth-uri: 'http://127.0.0.1:9999/auth?x=1' must not have a query;"
                        + " write e.g. https://accounts.google.com/o/oauth2/v2/auth (line 11)",
                "providers.test.token-uri: 'ftp://127.0.0.1/token' must use http or https;"
                        + " write it like https://oauth2.googleapis.com/token (line 12)");
    }

    @Test
    void plainHttpIsOnlyForAServerOnThisMachine() throws Exception {
        List<ConfigProblem> problems = problems("""
                providers:
                  google:
                    client-id: g
                    client-secret: s
                    token-uri: http://oauth2.example.com/token
                """);
        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                "providers.google.token-uri: 'http://oauth2.example.com/token' must use https: codes, the client secret"
                        + " and tokens would cross the network in clear; plain http is accepted only for a server on"
                        + " this machine (localhost); write e.g. https://oauth2.googleapis.com/token (line 5)");

        IntakeConfig local = load("""
                providers:
                  google:
                    client-id: g
                    client-secret: s
                    token-uri: http://127.0.0.1:8099/token
                """);
        assertThat(local.provider("google").orElseThrow().settings(GoogleSettings.class).tokenUri())
                .isEqualTo(URI.create("http://127.0.0.1:8099/token"));
    }

    @Test
    void exampleAndReadmeShowTheKeys() throws Exception {
        ProviderConfigTestBed.assertDocumented(new GoogleKind());
    }

    private IntakeConfig load(String yaml) throws Exception {
        return new ProviderConfigTestBed(dir).load(yaml);
    }

    private List<ConfigProblem> problems(String yaml) {
        return new ProviderConfigTestBed(dir).problems(yaml);
    }
}
