package dev.intake.app.cli;

import dev.intake.config.ConfigException;
import dev.intake.config.ConfigProblem;
import dev.intake.config.ConfigSummary;
import dev.intake.config.LoadedConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code intake config check}: validates collector.yaml and every secret it references. */
@Command(name = "config", description = "Work with collector.yaml.", subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand extends CommandGroup {

    @Command(name = "check", description = "Validate the configuration: prints ok and a summary, or every problem (exit code 2).")
    static final class Check implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            try {
                LoadedConfig loaded = options.load();
                java.util.List<String> keyProblems = new java.util.ArrayList<>();
                java.util.List<String> keyNotes = new java.util.ArrayList<>();
                StoredKeys.check(loaded.config(), keyProblems, keyNotes);
                if (!keyProblems.isEmpty()) {
                    var err = spec.commandLine().getErr();
                    err.println(options.describeSource() + ": " + keyProblems.size() + " problem(s)");
                    keyProblems.forEach(p -> err.println("  " + p));
                    return 2;
                }
                out.println("ok: " + options.describeSource());
                out.println(ConfigSummary.describe(loaded.config()));
                keyNotes.forEach(out::println);
                return 0;
            } catch (ConfigException e) {
                var err = spec.commandLine().getErr();
                err.println(options.describeSource() + ": " + e.problems().size() + " problem(s)");
                for (ConfigProblem p : e.problems()) {
                    err.println("  " + p);
                }
                return 2;
            }
        }
    }
}
