package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.apiclient.ApiClient;
import dev.intake.app.apiclient.ApiClients;
import dev.intake.app.apiclient.ClientSpec;
import dev.intake.app.apiclient.GrantType;
import dev.intake.app.apiclient.IpRanges;
import dev.intake.app.apiclient.Scope;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code intake clients ...}: the API clients, as on the Clients page. A secret is printed only when it is made. */
@Command(name = "clients", description = "Register the API clients other systems use (OAuth 2.0 client credentials).",
        subcommands = {ClientsCommand.Create.class, ClientsCommand.ListClients.class, ClientsCommand.Show.class,
                ClientsCommand.RotateSecret.class, ClientsCommand.Deactivate.class, ClientsCommand.Activate.class,
                ClientsCommand.Delete.class})
public final class ClientsCommand extends CommandGroup {

    @Command(name = "create", description = "Register a client; prints its id and its secret, once.")
    static final class Create extends DatabaseCommand {
        @Option(names = "--name", required = true, description = "what the client is, e.g. \"GLPI helpdesk\"")
        String name;

        @Option(names = "--comment", defaultValue = "")
        String comment;

        @Option(names = "--scope", required = true, split = ",",
                description = "tickets:read, tickets:write, mailboxes:read, mailboxes:write, status (repeat or comma-separate)")
        List<String> scopes = new ArrayList<>();

        @Option(names = "--grant", split = ",", description = "client_credentials (the default), authorization_code")
        List<String> grants = new ArrayList<>();

        @Option(names = "--allow-ip", split = ",", description = "a CIDR range the client may call from (repeat); none: anywhere")
        List<String> ips = new ArrayList<>();

        @Option(names = "--redirect-uri", split = ",", description = "for authorization_code: an exact redirect URI (repeat)")
        List<String> redirectUris = new ArrayList<>();

        @Option(names = "--inactive", description = "create it deactivated")
        boolean inactive;

        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            ApiClients.ClientWithSecret created;
            try {
                ClientSpec spec = new ClientSpec(name, comment,
                        grants.isEmpty() ? java.util.Set.of(GrantType.CLIENT_CREDENTIALS) : GrantType.parseList(String.join(" ", grants)),
                        Scope.parseList(String.join(" ", scopes)), IpRanges.parse(String.join(" ", ips)),
                        ClientSpec.parseRedirectUris(String.join(" ", redirectUris)), !inactive);
                created = intake.apiClients().create(spec);
            } catch (IllegalArgumentException e) {
                err.println("intake: the client was not created: " + e.getMessage());
                return 1;
            }
            describe(created.client(), out);
            printSecret(created, out);
            return 0;
        }
    }

    @Command(name = "list", description = "List the clients (never their secrets).")
    static final class ListClients extends DatabaseCommand {
        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            List<ApiClient> clients = intake.apiClients().all();
            out.printf("%-32s %-24s %-11s %-44s %s%n", "client id", "name", "state", "scopes", "last use");
            for (ApiClient c : clients) {
                out.printf("%-32s %-24s %-11s %-44s %s%n", c.clientId(), c.name(), c.active() ? "active" : "deactivated",
                        Scope.names(c.scopes()), lastUse(c));
            }
            out.println(clients.size() + " client(s)");
            return 0;
        }
    }

    @Command(name = "show", description = "Show one client (never its secret).")
    static final class Show extends DatabaseCommand {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            Optional<ApiClient> client = intake.apiClients().find(clientId);
            if (client.isEmpty()) {
                return noSuchClient(clientId, err);
            }
            describe(client.get(), out);
            return 0;
        }
    }

    @Command(name = "rotate-secret", description = "Give the client a new secret (printed once); the old one and its tokens stop working.")
    static final class RotateSecret extends DatabaseCommand {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            try {
                Optional<ApiClients.ClientWithSecret> rotated = intake.apiClients().rotateSecret(clientId);
                if (rotated.isEmpty()) {
                    return noSuchClient(clientId, err);
                }
                printSecret(rotated.get(), out);
                return 0;
            } catch (IllegalStateException fromConfig) {
                err.println("intake: " + fromConfig.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "deactivate", description = "Stop the client: its tokens stop working at once, on every node.")
    static final class Deactivate extends DatabaseCommand {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            return change(clientId, out, err, "deactivated; its tokens no longer work",
                    () -> intake.apiClients().setActive(clientId, false));
        }
    }

    @Command(name = "activate", description = "Let a deactivated client get tokens again.")
    static final class Activate extends DatabaseCommand {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            return change(clientId, out, err, "activated", () -> intake.apiClients().setActive(clientId, true));
        }
    }

    @Command(name = "delete", description = "Delete the client and its tokens.")
    static final class Delete extends DatabaseCommand {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        int run(Intake intake, PrintWriter out, PrintWriter err) {
            return change(clientId, out, err, "deleted with its tokens", () -> intake.apiClients().delete(clientId));
        }
    }

    private static int change(String clientId, PrintWriter out, PrintWriter err, String done,
            java.util.function.BooleanSupplier action) {
        try {
            if (!action.getAsBoolean()) {
                return noSuchClient(clientId, err);
            }
        } catch (IllegalStateException fromConfig) {
            err.println("intake: " + fromConfig.getMessage());
            return 1;
        }
        out.println("Client " + clientId + " " + done + ".");
        return 0;
    }

    private static int noSuchClient(String clientId, PrintWriter err) {
        err.println("intake: there is no API client '" + clientId + "'; see intake clients list");
        return 1;
    }

    private static void describe(ApiClient c, PrintWriter out) {
        out.println("client id:    " + c.clientId());
        out.println("name:         " + c.name() + (c.fromConfig() ? "  (declared in collector.yaml)" : ""));
        if (!c.comment().isEmpty()) {
            out.println("comment:      " + c.comment());
        }
        out.println("state:        " + (c.active() ? "active" : "deactivated"));
        out.println("grants:       " + GrantType.names(c.grants()));
        out.println("scopes:       " + Scope.names(c.scopes()));
        out.println("allowed from: " + (c.allowedIps().isAnywhere() ? "anywhere" : c.allowedIps()));
        if (!c.redirectUris().isEmpty()) {
            out.println("redirect uris: " + String.join(" ", c.redirectUris()));
        }
        out.println("created:      " + c.createdAt().truncatedTo(ChronoUnit.SECONDS));
        out.println("secret set:   " + c.secretSetAt().truncatedTo(ChronoUnit.SECONDS));
        out.println("last use:     " + lastUse(c));
    }

    private static String lastUse(ApiClient c) {
        return c.lastUsedAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS) + c.lastUsedIp().map(ip -> " from " + ip).orElse(""))
                .orElse("never");
    }

    private static void printSecret(ApiClients.ClientWithSecret c, PrintWriter out) {
        out.println();
        out.println("client secret: " + c.secret().reveal());
        out.println("Copy the secret now: it is shown this once. Intake keeps only a hash of it.");
    }
}
