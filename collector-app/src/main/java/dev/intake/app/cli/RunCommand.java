package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.crypto.KeySetupException;
import dev.intake.app.store.DatabaseUnavailableException;
import dev.intake.config.ConfigException;
import dev.intake.config.ConfigProblem;
import dev.intake.config.ReloadingConfig;
import dev.intake.config.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code intake run}: serves the UI and callback and collects every active mailbox until stopped. */
@Command(name = "run", description = "Run Intake: the web UI and OAuth callback, and scheduled collection of every mailbox.")
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

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
        // On H2 the node holds the file: commands started beside it (intake poll, tickets...) run in it.
        Optional<Path> channel = NodeCommandChannel.file(intake.currentConfig().database());
        channel.ifPresent(file -> intake.acceptLocalCommands(Secret.of(NodeCommandChannel.open(file,
                intake.currentConfig().server().bind(), intake.port())),
                args -> IntakeCommand.runInNode(intake, args)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            channel.ifPresent(NodeCommandChannel::close);
            stop(intake, stopped);
        }, "intake-shutdown"));
        out.println("Intake is running on " + intake.currentConfig().server().publicUrl() + " (configuration: "
                + options.describeSource() + ")");
        if (intake.currentConfig().mailboxes().isEmpty()) {
            out.println("No mailbox is configured. To add one: register the app at Entra or Google (see README), copy "
                    + "collector.example.yaml to collector.yaml and fill in the provider and a mailbox, then open "
                    + intake.currentConfig().server().publicUrl() + " and choose Authorize. Intake loads collector.yaml "
                    + "by itself as it appears or changes; no restart needed (except for server and database settings).");
        }
        out.flush();
        stopped.await();
        return 0;
    }

    /**
     * SIGTERM or Ctrl-C: no new runs, the runs in hand finish their message and commit, IMAP sessions close,
     * Quartz stops, then HTTP and the database. The JVM would then exit with 128 + the signal (143 for SIGTERM),
     * which service managers count as a failure; a node that stopped cleanly exits 0 instead.
     */
    private static void stop(Intake intake, CountDownLatch stopped) {
        int status = 0;
        try {
            log.info("Stopping: taking no new runs; runs in progress finish the message in hand (at most {}s)",
                    intake.currentConfig().operations().shutdownGrace().toSeconds());
            intake.close();
            log.info("Intake stopped");
        } catch (RuntimeException e) {
            log.error("Stopping failed; what was committed is kept and the rest is collected at the next start", e);
            status = 1;
        } finally {
            stopped.countDown();
        }
        Runtime.getRuntime().halt(status);
    }
}
