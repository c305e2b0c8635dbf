package dev.intake.app.admin;

import java.io.Console;
import java.util.Optional;

/**
 * Whether Intake talks to a person at a terminal: a password may be shown there, but not in output a service manager
 * collects into its journal.
 */
public final class Terminal {

    private Terminal() {
    }

    /**
     * The console when it is a terminal. From JDK 22 on, {@code System.console()} is not null when input is
     * redirected either; only {@code Console.isTerminal()} (JDK 22, so called reflectively) tells.
     */
    @SuppressWarnings("SystemConsoleNull") // null is the answer up to JDK 21, isTerminal() from JDK 22 on
    public static Optional<Console> console() {
        Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        try {
            Object isTerminal = Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(isTerminal) ? Optional.of(console) : Optional.empty();
        } catch (ReflectiveOperationException beforeJdk22) {
            return Optional.of(console); // up to JDK 21 a console that is not null is a terminal
        }
    }
}
