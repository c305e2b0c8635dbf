package dev.intake.app.web;

import dev.intake.app.admin.AdminDirectory;
import dev.intake.app.admin.AdminSessions;
import dev.intake.app.admin.SignIn;
import dev.intake.app.apiclient.ApiClients;
import dev.intake.app.apiclient.ApiTokens;
import dev.intake.app.delivery.Deliveries;
import dev.intake.app.events.EventFeed;
import dev.intake.app.ticket.TicketUpdates;
import dev.intake.app.collect.RunHistory;
import dev.intake.app.collect.RefusedImports;
import dev.intake.app.ledger.LedgerQueries;
import dev.intake.app.status.MailboxStatuses;
import dev.intake.app.ticket.TicketQueries;
import dev.intake.config.ConfigProblem;
import dev.intake.config.IntakeConfig;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Everything the admin's pages and the JSON API read and change, handed to {@link WebServer} in one piece.
 *
 * @param config        the configuration as it is now (reloads show at the next request)
 * @param refusedConfig the problems of the last configuration change that was refused; empty once a valid one loaded
 */
public record AdminUi(
        SignIn signIn,
        AdminSessions sessions,
        AdminDirectory admins,
        Supplier<IntakeConfig> config,
        MailboxStatuses statuses,
        TicketQueries tickets,
        TicketUpdates ticketUpdates,
        LedgerQueries ledger,
        RunHistory runs,
        RefusedImports imports,
        MailboxControl mailboxes,
        Supplier<List<ConfigProblem>> refusedConfig,
        ApiClients apiClients,
        ApiTokens apiTokens,
        EventFeed events,
        Deliveries deliveries,
        Clock clock) {
}
