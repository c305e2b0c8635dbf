package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketSummary;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code intake tickets list} and {@code intake tickets show N}. */
@Command(name = "tickets", description = "Read the tickets Intake collected.",
        subcommands = {TicketsCommand.ListTickets.class, TicketsCommand.ShowTicket.class})
public final class TicketsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", description = "List tickets, newest first.")
    static final class ListTickets implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--mailbox", description = "only this mailbox")
        String mailbox;

        @Option(names = "--search", description = "text in the subject or requester")
        String search;

        @Option(names = "--page", defaultValue = "1")
        int page;

        @Option(names = "--page-size", defaultValue = "50")
        int pageSize;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<Intake> opened = OfflineIntake.open(options, spec.commandLine().getErr());
            if (opened.isEmpty()) {
                return 2;
            }
            try (Intake intake = opened.get()) {
                TicketQuery q = new TicketQuery(Optional.ofNullable(mailbox), Optional.ofNullable(search), Optional.empty(),
                        Math.max(1, page), Math.max(1, Math.min(500, pageSize)));
                long total = intake.ticketQueries().count(q);
                out.printf("%-7s %-12s %-20s %-32s %s%n", "#", "mailbox", "date", "requester", "subject");
                for (TicketSummary t : intake.ticketQueries().list(q)) {
                    out.printf("%-7d %-12s %-20s %-32s %s%s%n", t.number(), t.mailboxId(), t.date().toString().substring(0, 19),
                            t.requester().map(Object::toString).orElse("-"), t.subject(),
                            t.followups() > 0 ? "  (+" + t.followups() + " followups)" : "");
                }
                out.println(total + " ticket(s)" + (total > (long) q.page() * q.pageSize() ? "; more with --page " + (q.page() + 1) : ""));
                return 0;
            }
        }
    }

    @Command(name = "show", description = "Show one ticket with its followups and attachments.")
    static final class ShowTicket implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "N", description = "the ticket number")
        long number;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<Intake> opened = OfflineIntake.open(options, err);
            if (opened.isEmpty()) {
                return 2;
            }
            try (Intake intake = opened.get()) {
                Optional<Ticket> found = intake.ticketQueries().find(number);
                if (found.isEmpty()) {
                    err.println("intake: there is no ticket #" + number);
                    return 1;
                }
                Ticket t = found.get();
                out.println("Ticket #" + t.number() + "  " + t.subject());
                out.println("Mailbox:   " + t.mailboxId());
                out.println("From:      " + t.requester().map(Object::toString).orElse("-"));
                if (!t.cc().isEmpty()) {
                    out.println("Cc:        " + String.join(", ", t.cc()));
                }
                out.println("Date:      " + t.date());
                t.messageId().ifPresent(id -> out.println("Message-ID: " + id));
                t.notes().forEach(n -> out.println("Note:      " + n));
                out.println();
                out.println(t.bodyText());
                attachments(out, t.attachments());
                for (Ticket.Followup f : t.followups()) {
                    out.println();
                    out.println("--- Followup from " + f.from().map(Object::toString).orElse("-") + " at " + f.date());
                    f.notes().forEach(n -> out.println("Note: " + n));
                    out.println(f.bodyText());
                    attachments(out, f.attachments());
                }
                return 0;
            }
        }

        private static void attachments(PrintWriter out, java.util.List<Ticket.AttachmentInfo> list) {
            for (Ticket.AttachmentInfo a : list) {
                out.println("[attachment] " + a.fileName() + " (" + a.contentType() + ", " + a.size() + " bytes, sha256 "
                        + a.sha256() + (a.inline() ? ", inline" : "") + ")");
            }
        }
    }
}
