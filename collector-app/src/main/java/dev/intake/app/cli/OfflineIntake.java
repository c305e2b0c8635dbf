package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.crypto.KeySetupException;
import dev.intake.app.store.DatabaseUnavailableException;
import dev.intake.config.ConfigException;
import dev.intake.config.ConfigProblem;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;

/** Opens Intake's database and services for a one-shot command, reporting setup problems as a command should. */
final class OfflineIntake {

    private OfflineIntake() {
    }

    /** @return the opened Intake, or empty after printing why it could not be opened */
    static Optional<Intake> open(ConfigOptions options, PrintWriter err) {
        try {
            return Optional.of(Intake.offline(options.reloading(), Clock.systemUTC()));
        } catch (ConfigException e) {
            err.println(options.describeSource() + ": " + e.problems().size() + " problem(s)");
            for (ConfigProblem p : e.problems()) {
                err.println("  " + p);
            }
        } catch (DatabaseUnavailableException | KeySetupException e) {
            err.println("intake: " + e.getMessage());
        }
        return Optional.empty();
    }
}
