package dev.intake.app.support;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import dev.intake.app.Intake;
import dev.intake.app.imap.TestImapsSetup;
import dev.intake.config.ConfigLoader;
import dev.intake.config.ReloadingConfig;
import dev.intake.testing.Browser;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.FreePorts;
import dev.intake.testing.TcpProxy;
import dev.intake.testing.TestCertificates;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A complete Intake for tests, as an operator would run it: a collector.yaml in a temp directory (secrets in
 * files), fake Entra and Google authorization servers, GreenMail over IMAPS with XOAUTH2, an H2 file, and the real
 * HTTP server on a free port. Nothing is mocked; tests drive it through HTTP, IMAP and the database.
 */
public final class IntakeFixture implements AutoCloseable {

    public static final String ENTRA_SECRET = "entra-client-secret-value-1";
    public static final String GOOGLE_SECRET = "google-client-secret-value-1";
    public static final String ENTRA_CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    public static final String GOOGLE_CLIENT_ID = "1234-abc.apps.googleusercontent.com";
    /** The admin every fixture configures (unless {@link #withoutAdmins()}), for the browser flows. */
    public static final String ADMIN = "helpdesk-admin";
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    /** bcrypt at the lowest cost, so that signing in stays fast in tests. */
    public static final String ADMIN_HASH = org.springframework.security.crypto.bcrypt.BCrypt.hashpw(ADMIN_PASSWORD,
            org.springframework.security.crypto.bcrypt.BCrypt.gensalt(4));

    private final Path dir;
    private int httpPort;
    private final FakeAuthorizationServer entra;
    private final FakeAuthorizationServer google;
    private final GreenMail greenMail;
    private TcpProxy imapProxy;
    private dev.intake.testing.ImapTlsRelay imapRelay;
    private final List<String> mailboxYaml = new ArrayList<>();
    private String extraYaml = "";
    private final Map<String, List<String>> providerLines = new HashMap<>();
    private boolean admins = true;
    private String databaseUrl;
    private Intake intake;
    private TestStores stores;
    private ReloadingConfig config;
    private Clock clock = Clock.systemUTC();
    private Browser lastBrowser;
    private dev.intake.app.collect.FaultPoints faults = dev.intake.app.collect.FaultPoints.NONE;
    private Intake.DeliverySetup delivery = Intake.DeliverySetup.standard();

    public IntakeFixture(Path dir) {
        this.dir = dir;
        this.httpPort = FreePorts.pick();
        this.entra = FakeAuthorizationServer.entra("contoso").clientId(ENTRA_CLIENT_ID).acceptClientSecrets(ENTRA_SECRET);
        this.google = FakeAuthorizationServer.google().clientId(GOOGLE_CLIENT_ID).acceptClientSecrets(GOOGLE_SECRET);
        this.greenMail = new GreenMail(TestImapsSetup.setup());
        greenMail.start();
        this.imapProxy = new TcpProxy(greenMail.getImaps().getPort());
        this.databaseUrl = "jdbc:h2:file:" + dir.resolve("data/intake");
        writeSecret("entra-secret", ENTRA_SECRET);
        writeSecret("google-secret", GOOGLE_SECRET);
    }

    /**
     * Puts an {@link dev.intake.testing.ImapTlsRelay} between the {@link #imapProxy()} and GreenMail, so a test can
     * make the server say BYE or hide a capability. Before {@link #start()}.
     */
    public IntakeFixture withImapRelay() {
        imapProxy.close();
        imapRelay = new dev.intake.testing.ImapTlsRelay(greenMail.getImaps().getPort());
        imapProxy = new TcpProxy(imapRelay.port());
        return this;
    }

    /** The relay of {@link #withImapRelay()}. */
    public dev.intake.testing.ImapTlsRelay imapRelay() {
        if (imapRelay == null) {
            throw new IllegalStateException("call withImapRelay() before start()");
        }
        return imapRelay;
    }

    /** Adds a mailbox (YAML lines under the list item, already indented by the caller as {@code key: value}). */
    public IntakeFixture mailbox(String id, String provider, String address, String... extraLines) {
        StringBuilder b = new StringBuilder("  - id: " + id + "\n    provider: " + provider + "\n    address: " + address + "\n");
        for (String line : extraLines) {
            b.append("    ").append(line).append('\n');
        }
        mailboxYaml.add(b.toString());
        return this;
    }

    /** Changes a line of the mailboxes' YAML, for the next {@link #start()} (e.g. {@code paused: true} to false). */
    public IntakeFixture editMailboxes(String line, String replacement) {
        mailboxYaml.replaceAll(yaml -> yaml.replace(line, replacement));
        return this;
    }

    /** Adds lines to a provider's section (e.g. {@code auth: app}, {@code client-certificate: ${file:...}}). */
    public IntakeFixture provider(String provider, String... lines) {
        providerLines.computeIfAbsent(provider, p -> new ArrayList<>()).addAll(List.of(lines));
        return this;
    }

    /** Removes a provider line added with {@link #provider}, for the next {@link #writeConfig()}. */
    public IntakeFixture removeProviderLine(String provider, String line) {
        providerLines.getOrDefault(provider, new ArrayList<>()).remove(line);
        return this;
    }

    private String providerLines(String provider) {
        StringBuilder b = new StringBuilder();
        for (String line : providerLines.getOrDefault(provider, List.of())) {
            b.append("    ").append(line).append('\n');
        }
        return b.toString();
    }

    /** More top-level YAML (e.g. an {@code operations:} section). */
    public IntakeFixture yaml(String yaml) {
        this.extraYaml = yaml;
        return this;
    }

    /** Configures no admin, so that Intake creates its initial admin. */
    public IntakeFixture withoutAdmins() {
        this.admins = false;
        return this;
    }

    public IntakeFixture clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public IntakeFixture faults(dev.intake.app.collect.FaultPoints faults) {
        this.faults = faults;
        return this;
    }

    /** Delivery with the test's own targets (and targets added to the configuration delivery reads). */
    public IntakeFixture delivery(Intake.DeliverySetup delivery) {
        this.delivery = delivery;
        return this;
    }

    public IntakeFixture database(String url) {
        this.databaseUrl = url;
        return this;
    }

    public Path configFile() {
        return dir.resolve("collector.yaml");
    }

    /** Writes collector.yaml as things stand. */
    public void writeConfig() {
        String yaml = "server:\n"
                + "  bind: 127.0.0.1\n"
                + "  port: " + httpPort + "\n"
                + "  public-url: http://127.0.0.1:" + httpPort + "\n"
                + "database:\n"
                + "  url: " + databaseUrl + "\n"
                + "  user: " + (databaseUrl.startsWith("jdbc:postgresql:") ? "postgres" : "sa") + "\n"
                + "tls:\n"
                + "  truststore: " + TestCertificates.get().truststore() + "\n"
                + "  truststore-password: " + TestCertificates.PASSWORD + "\n"
                + "providers:\n"
                + "  entra:\n"
                + "    tenant: contoso\n"
                + "    client-id: " + ENTRA_CLIENT_ID + "\n"
                + (providerLines.getOrDefault("entra", List.of()).stream().anyMatch(l -> l.startsWith("client-secret:"))
                        ? "" : "    client-secret: ${file:entra-secret}\n")
                + "    client-secret-next: ${file:entra-secret-next}\n"
                + "    authority: " + entra.authority() + "\n"
                + "    imap-host: localhost\n"
                + "    imap-port: " + imapProxy.port() + "\n"
                + providerLines("entra")
                + "  google:\n"
                + "    client-id: " + GOOGLE_CLIENT_ID + "\n"
                + "    client-secret: ${file:google-secret}\n"
                + "    auth-uri: " + google.authUri() + "\n"
                + "    token-uri: " + google.tokenUri() + "\n"
                + "    imap-host: localhost\n"
                + "    imap-port: " + imapProxy.port() + "\n"
                + providerLines("google")
                + (mailboxYaml.isEmpty() ? "" : "mailboxes:\n" + String.join("", mailboxYaml))
                + (admins ? "admins:\n  - username: " + ADMIN + "\n    password-hash: " + ADMIN_HASH + "\n" : "")
                + extraYaml;
        if (!Files.exists(dir.resolve("entra-secret-next"))) {
            writeSecret("entra-secret-next", "");
        }
        try {
            Files.writeString(configFile(), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String configFileText() {
        try {
            return Files.readString(configFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces collector.yaml as an operator's editor saving it would (the running Intake reloads it): written beside
     * it and moved over it, so that a reload never reads half a file.
     */
    public void writeConfigText(String yaml) {
        try {
            Path next = dir.resolve("collector.yaml.next");
            Files.writeString(next, yaml);
            Files.move(next, configFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeSecret(String file, String value) {
        try {
            Files.writeString(dir.resolve(file), value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts Intake the way {@code intake run} does. */
    public Intake start() {
        for (int attempt = 1; ; attempt++) {
            writeConfig();
            try {
                config = new ReloadingConfig(new ConfigLoader(System::getenv), configFile());
            } catch (dev.intake.config.ConfigException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            try {
                intake = Intake.start(config, clock, faults, delivery);
                return intake;
            } catch (RuntimeException e) {
                // The port was free when picked; another process of the busy test machine may have bound it since.
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Port already in use")) {
                    throw e;
                }
                config.close();
                httpPort = FreePorts.pick();
            }
        }
    }

    /** Stops Intake (as SIGTERM would) and keeps everything else running, so it can be started again. */
    public void stop() {
        if (intake != null) {
            intake.close();
            intake = null;
        }
    }

    public Intake intake() {
        return intake;
    }

    /** The stores of this fixture's database, for asserting what is stored (see {@link TestStores}). */
    public TestStores stores() {
        if (stores == null) {
            stores = new TestStores(config.current(), clock);
        }
        return stores;
    }

    public ReloadingConfig config() {
        return config;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /**
     * Runs the whole browser flow for a mailbox: the admin signs in to Intake and presses Authorize, the provider's
     * sign-in is auto-approved by the fake as {@code signInAs}, and the browser comes back to Intake's callback.
     */
    public Browser.Page authorize(String mailboxId, String signInAs) {
        entra.signInAs(signInAs);
        google.signInAs(signInAs);
        lastBrowser = signedInBrowser();
        Browser.Page confirm = lastBrowser.open(url("/mailboxes/" + mailboxId + "/authorize"));
        return lastBrowser.post(url("/mailboxes/" + mailboxId + "/authorize"),
                Map.of("_csrf", formField(confirm.body(), "_csrf")));
    }

    /** A browser signed in to Intake as {@link #ADMIN}. */
    public Browser signedInBrowser() {
        Browser browser = new Browser(TestCertificates.get().clientContext());
        Browser.Page form = browser.open(url("/sign-in"));
        Browser.Page signedIn = browser.post(url("/sign-in"), Map.of("_signin", formField(form.body(), "_signin"),
                "username", ADMIN, "password", ADMIN_PASSWORD));
        if (signedIn.status() != 200 || signedIn.uri().getPath().equals("/sign-in")) {
            throw new IllegalStateException("could not sign in as " + ADMIN + ": HTTP " + signedIn.status());
        }
        return browser;
    }

    /** The value of a form field on a page. */
    public static String formField(String html, String name) {
        org.jsoup.nodes.Element input = org.jsoup.Jsoup.parse(html).selectFirst("input[name=" + name + "]");
        if (input == null) {
            throw new IllegalStateException("the page has no field '" + name + "'");
        }
        return input.val();
    }

    /** The browser of the last {@link #authorize}, with its history of hops. */
    public Browser lastBrowser() {
        return lastBrowser;
    }

    public FakeAuthorizationServer entra() {
        return entra;
    }

    public FakeAuthorizationServer google() {
        return google;
    }

    public GreenMail greenMail() {
        return greenMail;
    }

    /** The relay all of Intake's IMAP connections go through: tests cut it to make the server fail. */
    public TcpProxy imapProxy() {
        return imapProxy;
    }

    /** A GreenMail user whose XOAUTH2 bearer token must equal {@code token}. */
    public GreenMailUser imapUser(String address, String token) {
        return greenMail.setUser(address, address, token);
    }

    /** Appends a raw message to a user's folder with the given arrival time (IMAP INTERNALDATE), unread. */
    public long append(GreenMailUser user, String folder, String raw, Instant arrived) {
        try {
            var manager = greenMail.getManagers().getImapHostManager();
            MailFolder f = folder.equals("INBOX") ? manager.getInbox(user) : manager.getFolder(user, folder);
            if (f == null) {
                f = manager.createMailbox(user, folder);
            }
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
            return f.appendMessage(message, new Flags(), Date.from(arrived));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Subjects of the messages in a user's folder, in UID order; empty when the folder does not exist. */
    public List<String> subjects(GreenMailUser user, String folder) {
        try {
            var manager = greenMail.getManagers().getImapHostManager();
            MailFolder f = folder.equals("INBOX") ? manager.getInbox(user) : manager.getFolder(user, folder);
            if (f == null) {
                return List.of();
            }
            List<String> subjects = new ArrayList<>();
            for (StoredMessage m : f.getMessages()) {
                subjects.add(m.getMimeMessage().getSubject());
            }
            return subjects;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Bytes of the H2 database file, for scanning that no secret is stored in clear. */
    public byte[] databaseBytes() {
        try {
            return Files.readAllBytes(dir.resolve("data/intake.mv.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            stop();
            if (stores != null) {
                stores.close();
            }
        } finally {
            imapProxy.close();
            if (imapRelay != null) {
                imapRelay.close();
            }
            greenMail.stop();
            entra.close();
            google.close();
        }
    }
}
