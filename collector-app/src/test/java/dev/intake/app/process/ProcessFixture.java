package dev.intake.app.process;

import dev.intake.app.support.IntakeFixture;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import dev.intake.app.imap.TestImapsSetup;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.FreePorts;
import dev.intake.testing.TestCertificates;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything around real Intake nodes, in the test JVM: fake Entra (HTTPS) and Google authorization servers, GreenMail
 * over IMAPS with XOAUTH2, the secret files, and one collector.yaml per node that differs only in {@code server.port},
 * as an operator would deploy them. Output and working directories go to {@code target/process-it/NAME-TIME}, where
 * CI keeps them when a test fails.
 */
final class ProcessFixture implements AutoCloseable {

    /** The access token both fakes issue, and so the password every GreenMail user has for XOAUTH2. */
    static final String IMAP_TOKEN = "imap-access-token-process";
    static final String ENTRA_CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    static final String GOOGLE_CLIENT_ID = "1234-abc.apps.googleusercontent.com";
    static final String ENTRA_SECRET = "entra-client-secret-process-1";
    static final String GOOGLE_SECRET = "google-client-secret-process-1";
    /** GreenMail's folder delimiter is '.': the configured {@code Intake/Accepted} is this folder there. */
    static final String ACCEPTED = "Intake.Accepted";

    private final Path dir;
    private final String databaseUrl;
    private final String databaseUser;
    private final boolean postgres;
    private final FakeAuthorizationServer entra;
    private final FakeAuthorizationServer google;
    private final GreenMail greenMail;
    private final Map<String, GreenMailUser> users = new LinkedHashMap<>();
    private final List<String> mailboxYaml = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<NodeProcess> started = new ArrayList<>();
    private String operationsYaml = "";
    private String deliveryYaml = "";

    private ProcessFixture(String name, String databaseUrl, String databaseUser, boolean postgres) {
        this.dir = NodeProcess.JAR.toAbsolutePath().getParent().resolve("process-it")
                .resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS")));
        this.databaseUrl = databaseUrl;
        this.databaseUser = databaseUser;
        this.postgres = postgres;
        this.entra = FakeAuthorizationServer.entra("contoso").clientId(ENTRA_CLIENT_ID).acceptClientSecrets(ENTRA_SECRET)
                .fixedAccessToken(IMAP_TOKEN);
        this.google = FakeAuthorizationServer.google().clientId(GOOGLE_CLIENT_ID).acceptClientSecrets(GOOGLE_SECRET)
                .fixedAccessToken(IMAP_TOKEN);
        this.greenMail = new GreenMail(TestImapsSetup.setup());
        greenMail.start();
        writeSecret("entra-secret", ENTRA_SECRET);
        writeSecret("google-secret", GOOGLE_SECRET);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        writeSecret("intake-key-k1", Base64.getEncoder().encodeToString(key));
    }

    /** Nodes share a PostgreSQL database: clustered Quartz, configured encryption keys. */
    static ProcessFixture onPostgres(String name, String jdbcUrl, String user) {
        return new ProcessFixture(name, jdbcUrl, user, true);
    }

    /** The embedded default: an H2 file (one node), its local key file created beside it. */
    static ProcessFixture onH2(String name) {
        ProcessFixture bed = new ProcessFixture(name, null, "sa", false);
        return bed;
    }

    /** Adds a mailbox to every node's configuration, and its GreenMail user. Lines are YAML under the list item. */
    ProcessFixture mailbox(String id, String provider, String address, String... lines) {
        StringBuilder b = new StringBuilder("  - id: " + id + "\n    provider: " + provider + "\n    address: " + address + "\n");
        for (String line : lines) {
            b.append("    ").append(line).append('\n');
        }
        mailboxYaml.add(b.toString());
        users.put(address, greenMail.setUser(address, address, IMAP_TOKEN));
        return this;
    }

    /** The {@code operations:} section's lines. */
    ProcessFixture operations(String... lines) {
        StringBuilder b = new StringBuilder("operations:\n");
        for (String line : lines) {
            b.append("  ").append(line).append('\n');
        }
        this.operationsYaml = b.toString();
        return this;
    }

    /** The {@code delivery:} section, as written (its lines, without the section key). */
    ProcessFixture delivery(String... lines) {
        StringBuilder b = new StringBuilder("delivery:\n");
        for (String line : lines) {
            b.append("  ").append(line).append('\n');
        }
        this.deliveryYaml = b.toString();
        return this;
    }

    /** Writes a secret file every node's configuration may reference as {@code ${file:PATH}}; returns PATH. */
    Path secretFile(String name, String value) {
        writeSecret(name, value);
        return secret(name);
    }

    /** Starts node {@code name} (first time: on a new port; again: on its old port and configuration) and waits until it is ready. */
    NodeProcess start(String name) {
        NodeProcess node = launch(name);
        try {
            return node.awaitReady();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Starts node {@code name} without waiting for it to be ready (for a node expected to refuse to start). */
    NodeProcess launch(String name) {
        int port = ports.computeIfAbsent(name, n -> FreePorts.pick());
        Path nodeDir = dir.resolve(name);
        Path config = nodeDir.resolve("collector.yaml");
        writeConfig(config, port);
        NodeProcess node = NodeProcess.start(name, nodeDir, config, port, dir.resolve(name + ".log"));
        started.add(node);
        return node;
    }

    private void writeConfig(Path file, int port) {
        String yaml = "server:\n"
                + "  bind: 127.0.0.1\n"
                + "  port: " + port + "\n"
                // One public URL for all nodes, as behind a load balancer: the callback may land on any node.
                + "  public-url: http://127.0.0.1:" + ports.values().iterator().next() + "\n"
                + "database:\n"
                + "  url: " + databaseUrl() + "\n"
                + "  user: " + databaseUser + "\n"
                + "  pool-size: 6\n"
                + (postgres ? "encryption:\n  active-key: k1\n  keys:\n    k1: ${file:" + secret("intake-key-k1") + "}\n" : "")
                + "tls:\n"
                + "  truststore: " + TestCertificates.get().truststore() + "\n"
                + "  truststore-password: " + TestCertificates.PASSWORD + "\n"
                + "providers:\n"
                + "  entra:\n"
                + "    tenant: contoso\n"
                + "    client-id: " + ENTRA_CLIENT_ID + "\n"
                + "    client-secret: ${file:" + secret("entra-secret") + "}\n"
                + "    authority: " + entra.authority() + "\n"
                + "    imap-host: localhost\n"
                + "    imap-port: " + greenMail.getImaps().getPort() + "\n"
                + "  google:\n"
                + "    client-id: " + GOOGLE_CLIENT_ID + "\n"
                + "    client-secret: ${file:" + secret("google-secret") + "}\n"
                + "    auth-uri: " + google.authUri() + "\n"
                + "    token-uri: " + google.tokenUri() + "\n"
                + "    imap-host: localhost\n"
                + "    imap-port: " + greenMail.getImaps().getPort() + "\n"
                + (mailboxYaml.isEmpty() ? "" : "mailboxes:\n" + String.join("", mailboxYaml))
                + "admins:\n  - username: " + IntakeFixture.ADMIN + "\n    password-hash: " + IntakeFixture.ADMIN_HASH + "\n"
                + operationsYaml
                + deliveryYaml;
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a one-shot command printed and returned. */
    record CommandResult(int exitCode, String out) {
    }

    /**
     * Runs {@code intake ARGS --config FILE} as an operator would beside node {@code name}: its own JVM, the node's
     * working directory and configuration.
     */
    CommandResult command(String name, String... args) {
        Path nodeDir = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", NodeProcess.JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", nodeDir.resolve("collector.yaml").toString()));
        try {
            Process p = new ProcessBuilder(command).directory(nodeDir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("intake " + String.join(" ", args) + " did not end");
            }
            return new CommandResult(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String databaseUrl() {
        return postgres ? databaseUrl : "jdbc:h2:file:" + dir.resolve("data/intake");
    }

    /** The nodes' database as the test reads it. On H2, only while no node runs (H2 allows one process). */
    CollectionLedger ledger() {
        return new CollectionLedger(databaseUrl(), databaseUser);
    }

    /** Replaces the content of a shared secret file; every node reloads it. */
    void writeSecret(String name, String value) {
        try {
            Files.createDirectories(secret(name).getParent());
            Files.writeString(secret(name), value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path secret(String name) {
        return dir.resolve("secrets").resolve(name);
    }

    /** Puts a raw message into a mailbox's INBOX, unread, as delivery would. */
    void deliver(String address, String raw) {
        try {
            MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user(address));
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
            inbox.appendMessage(message, new Flags(), Date.from(Instant.now()));
        } catch (Exception e) {
            throw new IllegalStateException("could not deliver to " + address, e);
        }
    }

    /** Messages in a mailbox's folder on the server (0 when the folder does not exist). */
    int count(String address, String folder) {
        try {
            var manager = greenMail.getManagers().getImapHostManager();
            MailFolder f = folder.equals("INBOX") ? manager.getInbox(user(address)) : manager.getFolder(user(address), folder);
            return f == null ? 0 : f.getMessageCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mailbox's folder on the server; it must exist. */
    MailFolder folder(String address, String folder) {
        try {
            var manager = greenMail.getManagers().getImapHostManager();
            MailFolder f = folder.equals("INBOX") ? manager.getInbox(user(address)) : manager.getFolder(user(address), folder);
            if (f == null) {
                throw new IllegalStateException("no folder " + folder + " in " + address);
            }
            return f;
        } catch (com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many messages of each Message-ID a folder holds (empty when the folder does not exist). */
    Map<String, Integer> messageIds(String address, String folder) {
        if (count(address, folder) == 0) {
            return Map.of();
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (var stored : folder(address, folder).getMessages()) {
            try {
                ids.merge(stored.getMimeMessage().getMessageID(), 1, Integer::sum);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }

    private GreenMailUser user(String address) {
        GreenMailUser user = users.get(address);
        if (user == null) {
            throw new IllegalArgumentException("no mailbox with address " + address);
        }
        return user;
    }

    FakeAuthorizationServer entra() {
        return entra;
    }

    FakeAuthorizationServer google() {
        return google;
    }

    /** The fake that serves {@code provider}, told who signs in next. */
    FakeAuthorizationServer signingInAs(String provider, String address) {
        FakeAuthorizationServer fake = provider.equals("google") ? google : entra;
        return fake.signInAs(address);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            for (NodeProcess node : started) {
                node.close();
            }
        } finally {
            greenMail.stop();
            entra.close();
            google.close();
        }
    }
}
