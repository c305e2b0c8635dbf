package dev.intake.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.cli.CommandLineTest.Result;
import dev.intake.app.support.IntakeFixture;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code intake clients ...}: the secret is printed once, by create and rotate-secret, and by nothing else. */
class ClientsCommandTest {

    @TempDir
    Path dir;

    @Test
    void createListShowRotateDeactivateAndDeleteAClient() {
        try (IntakeFixture fx = new IntakeFixture(dir)) {
            fx.writeConfig();
            String config = fx.configFile().toString();

            Result created = CommandLineTest.run("clients", "create", "--config", config, "--name", "GLPI helpdesk",
                    "--scope", "tickets:read,tickets:write", "--allow-ip", "192.0.2.0/24", "--comment", "reads tickets");
            assertThat(created.code()).as(created.err()).isZero();
            String id = value(created.out(), "client id:\\s+(\\S+)");
            String secret = value(created.out(), "client secret: (\\S+)");
            assertThat(secret).hasSizeGreaterThan(40);
            assertThat(created.out()).contains("shown this once").contains("192.0.2.0/24");

            Result list = CommandLineTest.run("clients", "list", "--config", config);
            assertThat(list.out()).contains(id).contains("GLPI helpdesk").contains("active").contains("never")
                    .doesNotContain(secret);
            Result show = CommandLineTest.run("clients", "show", id, "--config", config);
            assertThat(show.out()).contains("tickets:read tickets:write").contains("reads tickets").doesNotContain(secret);

            Result rotated = CommandLineTest.run("clients", "rotate-secret", id, "--config", config);
            String newSecret = value(rotated.out(), "client secret: (\\S+)");
            assertThat(newSecret).isNotEqualTo(secret);
            assertThat(CommandLineTest.run("clients", "show", id, "--config", config).out()).doesNotContain(newSecret);

            assertThat(CommandLineTest.run("clients", "deactivate", id, "--config", config).out()).contains("deactivated");
            assertThat(CommandLineTest.run("clients", "show", id, "--config", config).out()).contains("deactivated");
            assertThat(CommandLineTest.run("clients", "activate", id, "--config", config).code()).isZero();
            assertThat(CommandLineTest.run("clients", "delete", id, "--config", config).out()).contains("deleted");
            Result gone = CommandLineTest.run("clients", "show", id, "--config", config);
            assertThat(gone.code()).isEqualTo(1);
            assertThat(gone.err()).contains("there is no API client");

            Result typo = CommandLineTest.run("clients", "create", "--config", config, "--name", "x", "--scope", "tickets");
            assertThat(typo.code()).isEqualTo(1);
            assertThat(typo.err()).contains("unknown scope 'tickets'").contains("tickets:read");
            Result password = CommandLineTest.run("clients", "create", "--config", config, "--name", "x", "--scope", "status",
                    "--grant", "password");
            assertThat(password.err()).contains("there is no password grant");
        }
    }

    private static String value(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }
}
