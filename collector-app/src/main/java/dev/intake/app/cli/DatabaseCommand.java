package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.crypto.KeySetupException;
import dev.intake.app.store.DatabaseUnavailableException;
import dev.intake.config.ConfigException;
import dev.intake.config.ConfigProblem;
import dev.intake.config.ReloadingConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

    /** Set when the command runs inside a node (for a command beside it on the same H2 file). */
    Intake node;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (node != null) {
            return run(node, out, err);
        }
        ReloadingConfig config;
        Intake intake;
        try {
            config = options.reloading();
            intake = Intake.offline(config, Clock.systemUTC());
        } catch (ConfigException e) {
            err.println(options.describeSource() + ": " + e.problems().size() + " problem(s)");
            for (ConfigProblem p : e.problems()) {
                err.println("  " + p);
            }
            return 2;
        } catch (DatabaseUnavailableException e) {
            return besideRunningNode(e, out, err);
        } catch (KeySetupException e) {
            err.println("intake: " + e.getMessage());
            return 2;
        }
        try (intake) {
            return run(intake, out, err);
        }
    }

    /** H2 serves one process: when a node holds the file, the node runs the command (see {@link NodeCommandChannel}). */
    private int besideRunningNode(DatabaseUnavailableException e, PrintWriter out, PrintWriter err) throws ConfigException {
        Optional<java.nio.file.Path> channel = e.getMessage().contains("already open in another Intake process")
                ? NodeCommandChannel.file(options.load().config().database()) : Optional.empty();
        Optional<NodeCommandChannel.Outcome> outcome;
        try {
            List<String> args = withoutConfigOption(spec.commandLine().getParseResult().originalArgs());
            outcome = channel.flatMap(file -> NodeCommandChannel.run(file, args, Duration.ofMinutes(15)));
        } catch (IllegalStateException unreachable) {
            err.println("intake: " + unreachable.getMessage());
            return 2;
        }
        if (outcome.isEmpty()) {
            err.println("intake: " + e.getMessage());
            return 2;
        }
        out.print(outcome.get().out());
        err.print(outcome.get().err());
        out.flush();
        err.flush();
        return outcome.get().exitCode();
    }

    /** The node runs on its own configuration: which file this command was pointed at does not travel. */
    static List<String> withoutConfigOption(List<String> args) {
        List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") || a.equals("-c")) {
                i++;
            } else if (!a.startsWith("--config=") && !(a.startsWith("-c") && a.length() > 2)) {
                kept.add(a);
            }
        }
        return kept;
    }

    /** The command's work; the return value is the exit code. */
    abstract int run(Intake intake, PrintWriter out, PrintWriter err) throws Exception;
}
