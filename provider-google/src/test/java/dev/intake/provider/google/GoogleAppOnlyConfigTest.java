package dev.intake.provider.google;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.config.ConfigProblem;
import dev.intake.config.IntakeConfig;
import dev.intake.config.ProviderSettings.Fact;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.TestServiceAccount;
import dev.intake.testing.provider.ProviderConfigTestBed;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code service-account-key} as collector.yaml gives it. */
class GoogleAppOnlyConfigTest {

    @TempDir
    Path dir;

    @Test
    void theServiceAccountIsShownByAddressAndClientIdNeverByKey() throws Exception {
        TestServiceAccount account;
        try (FakeAuthorizationServer google = FakeAuthorizationServer.google()) {
            account = google.serviceAccount("intake@intake-test.iam.gserviceaccount.com");
        }
        String json = account.jsonKey(URI.create("https://oauth2.googleapis.com/token"));
        Files.writeString(dir.resolve("sa.json"), json);

        IntakeConfig config = new ProviderConfigTestBed(dir).load("""
                providers:
                  google:
                    client-id: g
                    auth: app
                    service-account-key: ${file:sa.json}
                """);

        assertThat(config.provider("google").orElseThrow().settings().registration()).containsExactly(
                new Fact("Service account", account.email()), new Fact("Service account client ID", account.clientId()));
        assertThat(config.provider("google").orElseThrow().settings().toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aKeyThatIsNoServiceAccountKeyOrIsMissingIsAProblem() throws Exception {
        Files.writeString(dir.resolve("client.json"), "{\"web\": {\"client_id\": \"g\"}}");
        List<ConfigProblem> problems = new ProviderConfigTestBed(dir).problems("""
                providers:
                  google:
                    client-id: g
                    auth: app
                    service-account-key: ${file:client.json}
                  second:
                    type: google
                    client-id: g
                    auth: app
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("providers.google.service-account-key")
                .contains("is not a service account key"));
        assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("providers.second.service-account-key")
                .contains("domain-wide delegation"));
    }
}
