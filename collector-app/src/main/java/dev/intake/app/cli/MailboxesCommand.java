package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.status.MailboxStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code intake mailboxes}: every configured mailbox with its state, account, last poll and last error. */
@Command(name = "mailboxes", description = "List every mailbox: state, authorized account, last poll, last error, staleness.")
public final class MailboxesCommand extends DatabaseCommand {

    @Override
    int run(Intake intake, PrintWriter out, PrintWriter err) {
        List<MailboxStatus> all = intake.statuses().all();
        if (all.isEmpty()) {
            out.println("No mailbox is configured (see collector.example.yaml).");
            return 0;
        }
        out.printf("%-14s %-8s %-28s %-24s %-28s %-21s %s%n", "mailbox", "provider", "address", "state", "authorized by",
                "last success", "last error");
        for (MailboxStatus s : all) {
            out.printf("%-14s %-8s %-28s %-24s %-28s %-21s %s%n", s.id(), s.provider(), s.address(),
                    s.display() + (s.stale() ? " STALE" : ""), s.account().orElse(s.appOnly() ? "(app-only)" : "-"),
                    time(s.lastSuccessAt()),
                    s.lastError().filter(e -> s.consecutiveFailures() > 0 || !s.display().equals("active"))
                            .map(e -> e + " (" + s.consecutiveFailures() + " in a row)").orElse("-"));
            s.idle().ifPresent(idle -> out.printf("%-14s IDLE: %s%n", "", idle.summary()));
        }
        return all.stream().anyMatch(MailboxStatus::stale) ? 3 : 0;
    }

    private static String time(Optional<Instant> t) {
        return t.map(i -> i.toString().substring(0, 19) + "Z").orElse("never");
    }
}
