package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.crypto.KeySetupException;
import dev.intake.app.store.DatabaseUnavailableException;
import dev.intake.config.ConfigException;
import dev.intake.config.ConfigProblem;
import dev.intake.config.ReloadingConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code intake run}: serves the UI and callback and collects every active mailbox until stopped. */
@Command(name = "run", description = "Run Intake: the web UI and OAuth callback, and scheduled collection of every mailbox.")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        ReloadingConfig config;
        try {
            config = options.reloading();
        } catch (ConfigException e) {
            err.println(options.describeSource() + ": " + e.problems().size() + " problem(s); Intake did not start");
            for (ConfigProblem p : e.problems()) {
                err.println("  " + p);
            }
            return 2;
        }
        Intake intake;
        try {
            intake = Intake.start(config, Clock.systemUTC());
        } catch (DatabaseUnavailableException | KeySetupException e) {
            config.close();
            err.println("intake: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            intake.close();
            stopped.countDown();
        }, "intake-shutdown"));
        out.println("Intake is running on " + intake.currentConfig().server().publicUrl() + " (configuration: "
                + options.describeSource() + ")");
        if (intake.currentConfig().mailboxes().isEmpty()) {
            out.println("No mailbox is configured. To add one: register the app at Entra or Google (see README), copy "
                    + "collector.example.yaml to collector.yaml and fill in the provider and a mailbox, then open "
                    + intake.currentConfig().server().publicUrl() + " and choose Authorize. "
                    + (options.resolve().isPresent() ? "Intake reloads collector.yaml by itself; no restart needed."
                    : "Start Intake again once collector.yaml exists; from then on it reloads changes by itself."));
        }
        out.flush();
        stopped.await();
        return 0;
    }
}
