package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.check.ConnectionReport;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code intake test MAILBOX}: Test connection from the command line. */
@Command(name = "test", description = "Test a mailbox's connection without collecting it: access token, IMAP connection,"
        + " XOAUTH2 login, folder. Each step is reported; the exit status is 0 when all work, 1 when one fails.")
public final class TestCommand extends DatabaseCommand {

    @Parameters(paramLabel = "MAILBOX", description = "the mailbox id from collector.yaml")
    String mailboxId;

    @Override
    int run(Intake intake, PrintWriter out, PrintWriter err) {
        if (intake.currentConfig().mailbox(mailboxId).isEmpty()) {
            err.println("intake: mailbox '" + mailboxId + "' is not configured in " + options.describeSource());
            return 2;
        }
        ConnectionReport report = intake.mailboxActions().testConnection(mailboxId);
        for (ConnectionReport.Step step : report.steps()) {
            String outcome = switch (step.outcome()) {
                case OK -> "ok";
                case FAILED -> "FAILED";
                case NOT_TRIED -> "not tried";
            };
            out.println(String.format(Locale.ROOT, "%-24s %s%s", step.name(), outcome,
                    step.detail().isEmpty() ? "" : ": " + step.detail()));
        }
        out.flush();
        if (!report.ok()) {
            err.println("intake: the connection test of '" + mailboxId + "' failed; the failed step says what to do");
            return 1;
        }
        return 0;
    }
}
