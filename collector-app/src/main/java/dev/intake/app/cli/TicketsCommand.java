package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.ticket.Ticket;
import dev.intake.app.ticket.TicketQuery;
import dev.intake.app.ticket.TicketSummary;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code intake tickets list} and {@code intake tickets show N}. */
@Command(name = "tickets", description = "Read the tickets Intake collected.",
        subcommands = {TicketsCommand.ListTickets.class, TicketsCommand.ShowTicket.class})
public final class TicketsCommand extends CommandGroup {

    @Command(name = "list", description = "List tickets, newest first.")
    static final class ListTickets extends DatabaseCommand {
        @Option(names = "--mailbox", description = "only this mailbox")
        String mailbox;

        @Option(names = "--search", description = "text in the subject or requester")
        String search;

        @Option(names = "--page", defaultValue = "1")
        int page;

        @Option(names = "--page-size", defaultValue = "50")
        int pageSize;

        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            TicketQuery q = new TicketQuery(Optional.ofNullable(mailbox), Optional.ofNullable(search), Optional.empty(),
                    Math.max(1, page), Math.max(1, Math.min(500, pageSize)));
            long total = intake.tickets().count(q);
            out.printf("%-7s %-12s %-20s %-32s %s%n", "#", "mailbox", "date", "requester", "subject");
            for (TicketSummary t : intake.tickets().list(q)) {
                out.printf("%-7d %-12s %-20s %-32s %s%s%n", t.number(), t.mailboxId(), t.date().toString().substring(0, 19),
                        t.requester().map(Object::toString).orElse("-"), t.subject(),
                        t.followups() > 0 ? "  (+" + t.followups() + " followups)" : "");
            }
            out.println(total + " ticket(s)" + (total > (long) q.page() * q.pageSize() ? "; more with --page " + (q.page() + 1) : ""));
            return 0;
        }
    }

    @Command(name = "show", description = "Show one ticket with its followups and attachments.")
    static final class ShowTicket extends DatabaseCommand {
        @Parameters(paramLabel = "N", description = "the ticket number")
        long number;

        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            Optional<Ticket> found = intake.tickets().find(number);
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

        private static void attachments(PrintWriter out, java.util.List<Ticket.AttachmentInfo> list) {
            for (Ticket.AttachmentInfo a : list) {
                out.println("[attachment] " + a.fileName() + " (" + a.contentType() + ", " + a.size() + " bytes, sha256 "
                        + a.sha256() + (a.inline() ? ", inline" : "") + ")");
            }
        }
    }
}
