package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.crypto.KeySetupException;
import dev.intake.app.store.DatabaseUnavailableException;
import dev.intake.config.ConfigException;
import dev.intake.config.ConfigProblem;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A one-shot command that works on Intake's database and services without serving or scheduling. Setup problems
 * (configuration, database, keys) are printed as a command should, with exit code 2.
 */
abstract class DatabaseCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Intake intake;
        try {
            intake = Intake.offline(options.reloading(), Clock.systemUTC());
        } catch (ConfigException e) {
            err.println(options.describeSource() + ": " + e.problems().size() + " problem(s)");
            for (ConfigProblem p : e.problems()) {
                err.println("  " + p);
            }
            return 2;
        } catch (DatabaseUnavailableException | KeySetupException e) {
            err.println("intake: " + e.getMessage());
            return 2;
        }
        try (intake) {
            return run(intake, out, err);
        }
    }

    /** The command's work; the return value is the exit code. */
    abstract int run(Intake intake, PrintWriter out, PrintWriter err) throws Exception;
}
