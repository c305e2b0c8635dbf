package dev.intake.app.cli;

import dev.intake.app.admin.Passwords;
import dev.intake.app.admin.Terminal;
import dev.intake.config.Secret;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code intake admin ...}: administering who may sign in to the web UI. */
@Command(name = "admin", description = "Manage the admins of the web UI.",
        subcommands = {AdminCommand.HashPassword.class})
public final class AdminCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code intake admin hash-password}: prints a bcrypt hash for {@code admins[].password-hash}. The password is
     * read without echo from the terminal (asked twice), or as one line from standard input with {@code --stdin};
     * never from an argument, where it would stay in the shell's history and the process list.
     */
    @Command(name = "hash-password",
            description = "Print a bcrypt hash of a password, for admins[].password-hash in collector.yaml.")
    static final class HashPassword implements Callable<Integer> {

        @Option(names = "--stdin", description = "read the password as one line from standard input (for scripts)")
        boolean stdin;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<Secret> password = stdin ? fromStdin() : fromTerminal(err);
            if (password.isEmpty()) {
                return 2;
            }
            Optional<String> problem = Passwords.problem(password.get());
            if (problem.isPresent()) {
                err.println("intake: " + problem.get());
                return 2;
            }
            out.println(new Passwords().hash(password.get()).reveal());
            out.flush();
            return 0;
        }

        private Optional<Secret> fromStdin() throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null || line.isEmpty()) {
                spec.commandLine().getErr().println("intake: no password on standard input; give it as one line");
                return Optional.empty();
            }
            return Optional.of(Secret.of(line));
        }

        private static Optional<Secret> fromTerminal(PrintWriter err) {
            Optional<Console> terminal = terminal();
            if (terminal.isEmpty()) {
                err.println("intake: no terminal to ask for the password; pipe it in with --stdin, e.g. "
                        + "intake admin hash-password --stdin < password-file");
                return Optional.empty();
            }
            Console console = terminal.get();
            char[] first = console.readPassword("Password (at least %d characters): ", Passwords.MIN_LENGTH);
            char[] second = console.readPassword("The same password again: ");
            try {
                if (first == null || second == null || !Arrays.equals(first, second)) {
                    err.println("intake: the two passwords differ; nothing was hashed, run the command again");
                    return Optional.empty();
                }
                return Optional.of(Secret.of(new String(first)));
            } finally {
                if (first != null) {
                    Arrays.fill(first, '\0');
                }
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
            }
        }

        private static Optional<Console> terminal() {
            return Terminal.console();
        }
    }
}
