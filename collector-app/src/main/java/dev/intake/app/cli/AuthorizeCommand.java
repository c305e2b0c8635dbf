package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.oauth.AuthorizationService;
import dev.intake.app.oauth.CallbackOutcome;
import dev.intake.app.status.MailboxStatus;
import dev.intake.provider.ProviderException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code intake authorize MAILBOX}: for headless servers. Prints the URL to open in any browser and waits for the
 * callback, received by its own listener on the configured port, or by a running node (on PostgreSQL, where this
 * command can open the database beside running nodes), and reports the outcome.
 */
@Command(name = "authorize", description = "Authorize a mailbox from a headless server: prints the sign-in URL and waits for the callback.")
public final class AuthorizeCommand extends DatabaseCommand {

    @Parameters(paramLabel = "MAILBOX", description = "the mailbox id from collector.yaml")
    String mailboxId;

    @Option(names = "--wait", defaultValue = "10m", description = "how long to wait for the sign-in (default 10m, the life of a sign-in link)")
    String waitText;

    @Override
    int run(Intake intake, PrintWriter out, PrintWriter err) throws InterruptedException {
        Duration wait = dev.intake.config.Durations.parse(waitText);
        {
            if (intake.currentConfig().mailbox(mailboxId).isEmpty()) {
                err.println("intake: mailbox '" + mailboxId + "' is not configured in " + options.describeSource());
                return 2;
            }
            if (intake.currentConfig().mailbox(mailboxId).get().appOnly()) {
                err.println("intake: " + new AuthorizationService.AppOnlyMailboxException(mailboxId).getMessage());
                return 2;
            }
            BlockingQueue<CallbackOutcome> outcomes = new ArrayBlockingQueue<>(16);
            intake.authorization().addOutcomeListener(outcomes::offer);
            boolean ownListener = listen(intake);
            Instant before = intake.statuses().find(mailboxId).flatMap(MailboxStatus::authorizedAt).orElse(Instant.EPOCH);
            URI url;
            try {
                url = intake.authorization().begin(mailboxId);
            } catch (ProviderException e) {
                err.println("intake: " + e.getMessage());
                return 1;
            }
            out.println("Open this URL in a browser and sign in as "
                    + intake.currentConfig().mailbox(mailboxId).orElseThrow().signInAccount() + ":");
            out.println();
            out.println("  " + url);
            out.println();
            out.println(ownListener ? "Waiting for the provider to call back " + intake.currentConfig().server().redirectUri() + " ..."
                    : "A running Intake receives the callback; waiting for the authorization to be stored ...");
            out.flush();
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                CallbackOutcome outcome = outcomes.poll(1, TimeUnit.SECONDS);
                if (!concerns(outcome, mailboxId)) {
                    // A stray request to the callback (a scanner, a stale tab) is no answer to this sign-in.
                    outcome = null;
                }
                if (outcome != null) {
                    // The outcome is known before the result page has reached the browser: let it arrive.
                    Thread.sleep(1000);
                }
                if (outcome instanceof CallbackOutcome.Authorized ok && ok.mailboxId().equals(mailboxId)) {
                    out.println("Authorized: mailbox '" + mailboxId + "' by " + ok.account() + ". Intake collects it from now on.");
                    return 0;
                }
                if (outcome instanceof CallbackOutcome.Refused no) {
                    err.println("Not authorized: " + no.title() + ". " + no.explanation());
                    return 1;
                }
                Optional<MailboxStatus> now = intake.statuses().find(mailboxId);
                if (now.flatMap(MailboxStatus::authorizedAt).filter(at -> at.isAfter(before)).isPresent()) {
                    out.println("Authorized: mailbox '" + mailboxId + "' by " + now.get().account().orElse("?") + ".");
                    return 0;
                }
            }
            err.println("intake: no sign-in arrived within " + waitText + "; run the command again to get a new link");
            return 1;
        }
    }

    /** Whether a callback's outcome is about this mailbox: its state named it. */
    static boolean concerns(CallbackOutcome outcome, String mailboxId) {
        if (outcome instanceof CallbackOutcome.Authorized ok) {
            return ok.mailboxId().equals(mailboxId);
        }
        return outcome instanceof CallbackOutcome.Refused no && no.mailboxId().equals(Optional.of(mailboxId));
    }

    /** Listens on the configured port unless a running node has it. */
    private static boolean listen(Intake intake) {
        try {
            intake.listenForCallback();
            return true;
        } catch (RuntimeException portTaken) {
            return false;
        }
    }
}
