package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.bench.BenchOptions;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.corpus.MessagePlan;
import dev.intake.bench.imap.DovecotServer;
import dev.intake.bench.imap.GreenMailServer;
import dev.intake.bench.imap.ImapServer;
import dev.intake.bench.imap.MinimalImapClient;
import dev.intake.bench.node.NodeConfig;
import dev.intake.bench.node.NodeProcess;
import dev.intake.config.Secret;
import dev.intake.testing.Browser;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.PostgresDatabase;
import dev.intake.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every scenario works with: the options, the time left, the localhost certificate, the GreenMail jar, and the
 * steps they share (start the fake Entra server, the IMAP server and a node; deliver a corpus; authorize a mailbox
 * through Intake's real browser flow).
 */
public final class Lab implements AutoCloseable {

    /** The client secret the fake accepts and the node is configured with. */
    static final String CLIENT_SECRET = "bench-client-secret";
    /** The access token the fake issues and GreenMail accepts; a benchmark value, never printed. */
    static final Secret ACCESS_TOKEN = Secret.of("bench-access-token-0001");

    private final BenchOptions options;
    private final Instant deadline;
    private final Path greenMailJar;
    private final TestCertificates certificates = TestCertificates.get();
    /** With {@code --postgres}: the databases made for the scenarios, dropped at the end. */
    private final List<PostgresDatabase> databases = new ArrayList<>();

    public Lab(BenchOptions options, Instant deadline, Path greenMailJar) {
        this.options = options;
        this.deadline = deadline;
        this.greenMailJar = greenMailJar;
    }

    public BenchOptions options() {
        return options;
    }

    /** Time left before the benchmark's limit, at least a second; a scenario's waits never go beyond it. */
    Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new IllegalStateException("the benchmark's time limit (" + options.timeLimit().toMinutes()
                    + " min, --time-limit) is reached");
        }
        return left;
    }

    FakeAuthorizationServer fakeEntra() {
        return FakeAuthorizationServer.entra("contoso").clientId(NodeConfig.CLIENT_ID).acceptClientSecrets(CLIENT_SECRET)
                .fixedAccessToken(ACCESS_TOKEN.reveal());
    }

    /** The server of {@code --server} for one mailbox: Dovecot by default. */
    ImapServer server(Path dir, String address, String heap) throws IOException {
        if (options.imapServer().equals("dovecot")) {
            return DovecotServer.start(dir, List.of(new ImapServer.User(address, ACCESS_TOKEN)), certificates.keystore(),
                    TestCertificates.PASSWORD);
        }
        return greenMail(dir, List.of(address), heap);
    }

    /**
     * GreenMail for many mailboxes: the fake authorization server issues one access token for all of them, and only
     * GreenMail takes a token per user as a password; Dovecot's introspection would need a token per mailbox.
     */
    GreenMailServer greenMail(Path dir, List<String> addresses, String heap) throws IOException {
        List<ImapServer.User> users = new ArrayList<>();
        for (String a : addresses) {
            users.add(new ImapServer.User(a, ACCESS_TOKEN));
        }
        return GreenMailServer.start(dir, greenMailJar, users, certificates.keystore(), TestCertificates.PASSWORD, heap);
    }

    MinimalImapClient imap(int port, String address) throws IOException {
        return MinimalImapClient.connect(ImapServer.HOST, port, certificates.clientContext(), address, ACCESS_TOKEN,
                Duration.ofSeconds(60));
    }

    /** A scenario's node configuration; with {@code --postgres}, in a database of the scenario's own. */
    NodeConfig nodeConfig(Path dir, FakeAuthorizationServer fake, int imapPort) {
        NodeConfig config = new NodeConfig(dir, freePort(), fake.authority(), certificates.truststore(),
                TestCertificates.PASSWORD, imapPort);
        options.postgresServer().ifPresent(server -> {
            PostgresDatabase database = PostgresDatabase.create(server);
            databases.add(database);
            config.postgres(database.url(), database.user());
        });
        return config;
    }

    /** Drops the databases made for the scenarios. */
    @Override
    public void close() {
        for (PostgresDatabase database : databases) {
            try {
                database.close();
            } catch (RuntimeException e) {
                System.err.println("[bench] " + e.getMessage() + "; drop it by hand");
            }
        }
        databases.clear();
    }

    /**
     * JVM options for a node's flight recording, which the stage breakdowns read: JFR's default settings, less Jdbi's
     * event for every SQL statement. Jdbi records one whenever the event is enabled (about seven per message, with
     * the SQL text); nobody reads them here, and a node in service records nothing, so they would only tax the
     * measured process.
     */
    static String[] recordingOptions(Path recording) throws IOException {
        Path settings = recording.resolveSibling("recording.jfc");
        Files.writeString(settings, """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="Intake benchmark: JFR's default settings without Jdbi's statements">
                  <event name="jdbi.statement"><setting name="enabled">false</setting></event>
                </configuration>
                """);
        return new String[] {"-XX:StartFlightRecording=filename=" + recording + ",settings=default,settings=" + settings
                + ",dumponexit=true", "-XX:FlightRecorderOptions=stackdepth=256"};
    }

    /** Starts a node with the Intake heap under test (and any further JVM options). */
    NodeProcess node(Path dir, Path config, String... jvmOptions) throws IOException {
        List<String> options = new ArrayList<>(List.of("-Xmx" + this.options.intakeHeap()));
        options.addAll(List.of(jvmOptions));
        // A profiler or other diagnostics for the node, e.g. -agentpath:...libasyncProfiler.so=start,...
        String extra = System.getenv("BENCH_NODE_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return NodeProcess.start(dir, config, options);
    }

    /**
     * Delivers every message of the corpus to INBOX, in corpus order (replies after what they answer), pipelined in
     * groups of at most {@value #DELIVERY_GROUP} messages or {@value #DELIVERY_BYTES} bytes.
     *
     * @return the bytes delivered
     */
    static long deliver(MinimalImapClient client, Corpus corpus) throws IOException {
        long bytes = 0;
        List<byte[]> group = new ArrayList<>();
        long groupBytes = 0;
        for (MessagePlan plan : corpus.messages()) {
            byte[] raw = corpus.render(plan);
            group.add(raw);
            groupBytes += raw.length;
            bytes += raw.length;
            if (group.size() >= DELIVERY_GROUP || groupBytes >= DELIVERY_BYTES) {
                client.appendAll("INBOX", group);
                group.clear();
                groupBytes = 0;
            }
        }
        client.appendAll("INBOX", group);
        return bytes;
    }

    static final int DELIVERY_GROUP = 100;
    static final int DELIVERY_BYTES = 32 * 1024 * 1024;

    /** A browser signed in to a node's web UI as its admin. */
    Browser signIn(NodeConfig config) throws IOException {
        Browser browser = new Browser(certificates.clientContext());
        Browser.Page form = browser.open(config.url("/sign-in"));
        Browser.Page signedIn = browser.post(config.url("/sign-in"), Map.of("_signin", formField(form, "_signin"),
                "username", NodeConfig.ADMIN, "password", NodeConfig.ADMIN_PASSWORD));
        if (signedIn.status() != 200 || signedIn.uri().getPath().equals("/sign-in")) {
            throw new IOException("could not sign in to Intake as " + NodeConfig.ADMIN + ": HTTP " + signedIn.status());
        }
        return browser;
    }

    /**
     * Authorizes a mailbox the way an admin does: signed in to Intake, Authorize on the mailbox's page, the
     * provider's sign-in (the fake approves it as {@code address}), and back to Intake's callback, which redeems the
     * code.
     */
    void authorize(Browser admin, NodeConfig config, FakeAuthorizationServer fake, String mailboxId, String address)
            throws IOException {
        fake.signInAs(address);
        Browser.Page confirm = admin.open(config.url("/mailboxes/" + mailboxId + "/authorize"));
        Browser.Page page = admin.post(config.url("/mailboxes/" + mailboxId + "/authorize"),
                Map.of("_csrf", formField(confirm, "_csrf")));
        if (page.status() != 200) {
            throw new IOException("authorizing mailbox " + mailboxId + " ended with HTTP " + page.status() + " at "
                    + page.uri());
        }
    }

    /** Signs in and authorizes one mailbox. */
    void authorize(NodeConfig config, FakeAuthorizationServer fake, String mailboxId, String address) throws IOException {
        authorize(signIn(config), config, fake, mailboxId, address);
    }

    private static String formField(Browser.Page page, String name) throws IOException {
        org.jsoup.nodes.Element input = org.jsoup.Jsoup.parse(page.body()).selectFirst("input[name=" + name + "]");
        if (input == null) {
            throw new IOException("Intake's page " + page.uri() + " (HTTP " + page.status() + ") has no field '" + name
                    + "'");
        }
        return input.val();
    }

    /** The node's answer to a command, waiting no longer than the time left. */
    JsonNode ask(NodeProcess node, String command, Duration timeout) throws IOException {
        Duration left = remaining();
        return node.request(command, timeout.compareTo(left) < 0 ? timeout : left);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
