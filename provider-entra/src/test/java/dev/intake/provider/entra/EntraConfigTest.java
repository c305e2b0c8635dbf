package dev.intake.provider.entra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.config.ConfigProblem;
import dev.intake.config.ConfigSummary;
import dev.intake.config.IntakeConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.config.ProviderKinds;
import dev.intake.config.ProviderSettings.Fact;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.intake.testing.provider.ProviderConfigTestBed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An Entra provider's own keys, {@code tenant} and {@code authority}, as {@code collector.yaml} gives them. */
class EntraConfigTest {

    @TempDir
    Path dir;

    @Test
    void tenantIsRequiredAndAuthorityDefaultsToTheGlobalCloud() throws Exception {
        IntakeConfig config = load("""
                providers:
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: e
                    client-secret: s
                """);

        ProviderConfig entra = config.provider("entra").orElseThrow();
        assertThat(entra.type()).isEqualTo("entra");
        assertThat(entra.settings()).isEqualTo(new EntraSettings("contoso.onmicrosoft.com",
                URI.create("https://login.microsoftonline.com/")));
        assertThat(entra.settings().registration()).containsExactly(new Fact("Tenant", "contoso.onmicrosoft.com"));
        assertThat(ConfigSummary.describe(config)).contains("entra: type entra, client id e, client secret set,"
                + " tenant contoso.onmicrosoft.com, authority https://login.microsoftonline.com/, IMAP security tls");
        assertThat(ProviderKinds.installed().displayName("entra")).isEqualTo("Microsoft Entra");
    }

    @Test
    void tenantAndAuthorityAreChecked() {
        List<ConfigProblem> problems = problems("""
                providers:
                  entra:
                    client-id: a
                    client-secret: s
                    authority: http://login.example.com/
                  corp:
                    type: entra
                    tenant: corp.example
                    client-id: a
                    client-secret: s
                    authority: https://login.example.com
                  other:
                    type: entra
                    tenant: https://login.example.com/other
                    client-id: a
                    client-secret: s
                    authority: https://login.example.com/?x=1/
                """);

        assertThat(problems).extracting(ConfigProblem::toString).containsExactlyInAnyOrder(
                "providers.entra.tenant: missing; an Entra provider needs the tenant ID or domain,"
                        + " e.g. tenant: contoso.onmicrosoft.com (line 3)",
                "providers.entra.authority: 'http://login.example.com/' must use https (plain http is refused);"
                        + " write it like https://login.microsoftonline.com/ (line 5)",
                "providers.corp.authority: 'https://login.example.com' must end with '/';"
                        + " write e.g. https://login.microsoftonline.com/ (line 11)",
                "providers.other.tenant: 'https://login.example.com/other' is not a tenant ID or domain;"
                        + " write e.g. contoso.onmicrosoft.com (line 14)",
                "providers.other.authority: 'https://login.example.com/?x=1/' must not have a query;"
                        + " write e.g. https://login.microsoftonline.com/ (line 17)");
    }

    @Test
    void exampleAndReadmeShowTheKeys() throws Exception {
        ProviderConfigTestBed.assertDocumented(new EntraKind());
    }

    private IntakeConfig load(String yaml) throws Exception {
        return new ProviderConfigTestBed(dir).load(yaml);
    }

    private List<ConfigProblem> problems(String yaml) {
        return new ProviderConfigTestBed(dir).problems(yaml);
    }
}
