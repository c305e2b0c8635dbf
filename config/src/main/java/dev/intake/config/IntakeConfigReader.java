package dev.intake.config;

import dev.intake.config.SecretReferences.Resolved;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the parsed file into an {@link IntakeConfig}: the top level, {@code server}, {@code database},
 * {@code tickets} and {@code operations}, and the bigger sections through their own readers.
 */
final class IntakeConfigReader {

    static final List<String> TOP_KEYS = List.of(
            "server", "database", "encryption", "tls", "providers", "mailboxes", "tickets", "operations", "admins", "api",
            "delivery");
    static final List<String> SERVER_KEYS = List.of("bind", "port", "public-url");
    static final List<String> DATABASE_KEYS = List.of("url", "user", "password", "pool-size");
    static final List<String> TICKETS_KEYS = List.of("tag");
    static final List<String> OPERATIONS_KEYS = List.of(
            "stale-after", "scheduler-threads", "reload-check-every", "shutdown-grace", "reconcile-window",
            "history-retention");

    private IntakeConfigReader() {
    }

    /** Reads everything; the result is only meaningful when no problem was recorded. */
    static IntakeConfig read(YamlNode.Mapping root, ReadContext ctx) {
        Section top = new Section("", root, ctx, TOP_KEYS);
        ServerConfig server = server(top.section("server", SERVER_KEYS, "bind, port, public-url"));
        DatabaseConfig database = database(top.section("database", DATABASE_KEYS, "url, user, password, pool-size"));
        EncryptionConfig encryption = EncryptionReader.read(top, database);
        TlsConfig tls = TlsReader.read(top);
        Map<String, ProviderConfig> providers = ProvidersReader.read(top);
        DeliveryConfig delivery = DeliveryReader.read(top);
        List<MailboxConfig> mailboxes = MailboxesReader.read(top, providers, delivery);
        TicketsConfig tickets = tickets(top.section("tickets", TICKETS_KEYS, "tag"));
        OperationsConfig operations = operations(top.section("operations", OPERATIONS_KEYS,
                "stale-after, scheduler-threads, reload-check-every, shutdown-grace"));
        List<AdminAccount> admins = AdminsReader.read(top);
        ApiConfig api = ApiReader.read(top);
        return new IntakeConfig(server, database, encryption, tls, providers, mailboxes, tickets, operations, admins, api,
                delivery);
    }

    private static ServerConfig server(Section s) {
        String bind = s.checked("bind", Values::host).orElse(Defaults.SERVER_BIND);
        int port = s.integer("port", Defaults.SERVER_PORT, 1, 65535);
        URI publicUrl = s.checked("public-url", IntakeConfigReader::publicUrlProblem)
                .map(URI::create)
                .orElse(Defaults.publicUrl(port));
        return new ServerConfig(bind, port, publicUrl);
    }

    private static Optional<String> publicUrlProblem(Resolved r) {
        String example = "https://intake.example.com";
        Optional<String> problem = Values.url(r, Set.of("http", "https"), example);
        if (problem.isPresent()) {
            return problem;
        }
        URI uri = URI.create(r.value());
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of(r.describe() + " must not have a query or fragment; write the base URL browsers reach"
                    + " Intake by, e.g. " + example);
        }
        return Optional.empty();
    }

    private static DatabaseConfig database(Section s) {
        Optional<Resolved> written = s.text("url");
        String url = written.map(Resolved::value).orElse(Defaults.DATABASE_URL);
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            // Shown without the password some write into the URL.
            String shown = written.get().reference().isPresent()
                    ? written.get().describe() : "'" + JdbcUrls.withoutPassword(url) + "'";
            s.problems().add(s.path("url"), shown + " is not a database Intake supports;"
                    + " write jdbc:h2:file:./data/intake (embedded) or jdbc:postgresql://HOST/DATABASE", s.line("url"));
        }
        H2FileUrl.parse(url).ifPresent(h2 -> h2.ownSettingsWritten().forEach(setting -> s.problems().add(s.path("url"),
                setting + " is set by Intake on an H2 database (WRITE_DELAY=0: every commit is in the file before it "
                        + "returns, so no message is moved on the server on the strength of a commit a crash could "
                        + "undo); remove ;" + setting + "=... from the URL", s.line("url"))));
        if (url.startsWith("jdbc:h2:") && H2FileUrl.parse(url).isEmpty()) {
            s.problems().add(s.path("url"), "'" + JdbcUrls.withoutPassword(url) + "' is not an H2 file database: Intake "
                    + "keeps tickets in a local H2 file (jdbc:h2:file:PATH, e.g. jdbc:h2:file:./data/intake) or in "
                    + "PostgreSQL (jdbc:postgresql://HOST/DATABASE); an in-memory or remote H2 database cannot make a "
                    + "commit durable before Intake moves the message on the server", s.line("url"));
        }
        return new DatabaseConfig(
                url,
                s.optionalString("user"),
                s.secret("password"),
                s.integer("pool-size", Defaults.DATABASE_POOL_SIZE, 1, 1000));
    }

    private static TicketsConfig tickets(Section s) {
        Optional<Resolved> written = s.text("tag");
        String tag = written.map(Resolved::value).orElse(Defaults.TICKET_TAG);
        int first = tag.indexOf("{number}");
        if (first < 0 || tag.indexOf("{number}", first + 1) >= 0) {
            s.problems().add(s.path("tag"), written.get().describe() + " must contain {number} exactly once, where the ticket number"
                    + " goes; write it in quotes, e.g. tag: \"[#{number}]\"", s.line("tag"));
            return new TicketsConfig(Defaults.TICKET_TAG);
        }
        return new TicketsConfig(tag);
    }

    private static OperationsConfig operations(Section s) {
        return new OperationsConfig(
                s.duration("stale-after", Defaults.STALE_AFTER, Duration.ofSeconds(1)),
                s.integer("scheduler-threads", Defaults.SCHEDULER_THREADS, 1, 256),
                s.duration("reload-check-every", Defaults.RELOAD_CHECK_EVERY, Duration.ofMillis(100)),
                s.duration("shutdown-grace", Defaults.SHUTDOWN_GRACE, Duration.ZERO),
                s.duration("reconcile-window", Defaults.RECONCILE_WINDOW, Duration.ofHours(1)),
                s.duration("history-retention", Defaults.HISTORY_RETENTION, Duration.ofDays(1)));
    }
}
