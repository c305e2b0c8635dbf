package dev.intake.bench.node;

import dev.intake.app.crypto.KeyRings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The collector.yaml of a benchmark node, written as an operator would: the fake Entra endpoints as the provider,
 * the benchmark's IMAP server, an H2 file in the node's directory (or a PostgreSQL database), and the trust store of
 * the localhost certificate.
 */
public final class NodeConfig {

    public static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    /** The admin who signs in to authorize the mailboxes. */
    public static final String ADMIN = "bench-admin";
    /** A benchmark value; bcrypt at the lowest cost so that signing in stays fast. */
    public static final String ADMIN_PASSWORD = "bench admin password";
    private static final String ADMIN_HASH = org.springframework.security.crypto.bcrypt.BCrypt.hashpw(ADMIN_PASSWORD,
            org.springframework.security.crypto.bcrypt.BCrypt.gensalt(4));

    private final Path dir;
    private final int httpPort;
    private final URI authority;
    private final Path truststore;
    private final String truststorePassword;
    private final int imapPort;
    private Optional<String> postgresUrl = Optional.empty();
    private String databaseUser = "sa";
    private final List<String> mailboxes = new ArrayList<>();

    public NodeConfig(Path dir, int httpPort, URI authority, Path truststore, String truststorePassword, int imapPort) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.authority = authority;
        this.truststore = truststore;
        this.truststorePassword = truststorePassword;
        this.imapPort = imapPort;
    }

    /** Stores in this PostgreSQL database instead of an H2 file (with an encryption key every node shares). */
    public NodeConfig postgres(String url, String user) {
        this.postgresUrl = Optional.of(url);
        this.databaseUser = user;
        return this;
    }

    /** Adds a mailbox; {@code lines} are further keys, e.g. {@code poll-every: 2s}. */
    public NodeConfig mailbox(String id, String address, List<String> lines) {
        StringBuilder b = new StringBuilder("  - id: " + id + "\n    provider: entra\n    address: " + address + "\n");
        for (String line : lines) {
            b.append("    ").append(line).append('\n');
        }
        mailboxes.add(b.toString());
        return this;
    }

    public NodeConfig clearMailboxes() {
        mailboxes.clear();
        return this;
    }

    /**
     * Writes collector.yaml (and the client secret file it refers to) into the directory.
     *
     * @return the collector.yaml
     */
    public Path write(String clientSecret) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("entra-secret"), clientSecret + "\n");
        String yaml = "server:\n"
                + "  bind: 127.0.0.1\n"
                + "  port: " + httpPort + "\n"
                + "  public-url: http://127.0.0.1:" + httpPort + "\n"
                + "database:\n"
                + "  url: " + postgresUrl.orElse("jdbc:h2:file:" + dir.resolve("data/intake")) + "\n"
                + "  user: " + databaseUser + "\n"
                + (postgresUrl.isPresent() ? encryptionKey() : "")
                + "tls:\n"
                + "  truststore: " + truststore + "\n"
                + "  truststore-password: " + truststorePassword + "\n"
                + "providers:\n"
                + "  entra:\n"
                + "    tenant: contoso\n"
                + "    client-id: " + CLIENT_ID + "\n"
                + "    client-secret: ${file:entra-secret}\n"
                + "    authority: " + authority + "\n"
                + "    imap-host: localhost\n"
                + "    imap-port: " + imapPort + "\n"
                + "admins:\n"
                + "  - username: " + ADMIN + "\n"
                + "    password-hash: \"" + ADMIN_HASH + "\"\n"
                + "mailboxes:\n" + String.join("", mailboxes);
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** PostgreSQL means shared storage, so Intake wants its key in configuration rather than beside an H2 file. */
    private String encryptionKey() throws IOException {
        Path key = dir.resolve("intake-key");
        if (!Files.exists(key)) {
            Files.writeString(key, KeyRings.newKeyBase64() + "\n");
        }
        return "encryption:\n  active-key: bench\n  keys:\n    bench: ${file:intake-key}\n";
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }
}
