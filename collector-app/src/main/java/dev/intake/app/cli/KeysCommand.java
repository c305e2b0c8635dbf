package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.crypto.KeyRings;
import dev.intake.app.crypto.MissingKeyException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code intake keys rotate} and {@code intake keys generate}. */
@Command(name = "keys", description = "Encryption keys for stored secrets.",
        subcommands = {KeysCommand.Rotate.class, KeysCommand.Generate.class})
public final class KeysCommand extends CommandGroup {

    @Command(name = "rotate", description = "Re-encrypt every stored secret with encryption.active-key, in one transaction. Idempotent.")
    static final class Rotate extends DatabaseCommand {
        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            try {
                Map<String, Integer> moved = intake.keys().rotate();
                String active = intake.keys().activeKeyId();
                if (moved.isEmpty()) {
                    out.println("Nothing to do: every stored secret is already encrypted with key '" + active + "'.");
                } else {
                    moved.forEach((from, n) -> out.println("Moved " + n + " value(s) from key '" + from + "' to '" + active + "'."));
                }
                out.println("Stored values by key now: " + StoredKeys.describe(intake.keys().usage()));
                out.println("Keys no stored value needs can be removed from encryption.keys (intake config check tells which).");
                return 0;
            } catch (MissingKeyException e) {
                err.println("intake: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "generate", description = "Print a new random key (32 bytes, base64) for encryption.keys.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(KeyRings.newKeyBase64());
            return 0;
        }
    }
}
