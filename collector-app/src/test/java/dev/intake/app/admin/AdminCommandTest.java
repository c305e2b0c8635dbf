package dev.intake.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.cli.IntakeCommand;
import dev.intake.config.Secret;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code intake admin hash-password}, run as the command line runs it. */
class AdminCommandTest {

    record Run(int exit, String out, String err) {
    }

    @Test
    void hashPasswordPrintsABcryptHashOfThePasswordOnStandardInput() {
        Run run = run("a password of some length\n", "admin", "hash-password", "--stdin");

        assertThat(run.exit()).isZero();
        String hash = run.out().strip();
        assertThat(hash).matches("\\$2a\\$12\\$[./A-Za-z0-9]{53}");
        assertThat(new Passwords().matches(Secret.of("a password of some length"), Secret.of(hash))).isTrue();
        assertThat(run.out() + run.err()).doesNotContain("a password of some length");
    }

    @Test
    void aTooShortPasswordIsRefusedWithWhatToDo() {
        Run run = run("short\n", "admin", "hash-password", "--stdin");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("at least 12 characters").doesNotContain("short\n");
    }

    @Test
    void withoutATerminalItExplainsHowToPipeThePasswordIn() {
        // Under the build there is no console, so the command cannot ask without echo.
        Run run = run("", "admin", "hash-password");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--stdin");
    }

    private static Run run(String stdin, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = IntakeCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setIn(original);
        }
    }
}
