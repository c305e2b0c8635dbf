package dev.intake.bench.imap;

import dev.intake.bench.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Dovecot, the IMAP server most mail systems run, as the benchmark's production server: Debian's
 * {@code dovecot-imapd} started from a temporary directory of its own, unprivileged (as the {@code dovecot} user when
 * the benchmark runs as root), IMAPS on 127.0.0.1 with the benchmark's localhost certificate, mail in Maildir, and
 * XOAUTH2 through its {@code oauth2} passdb, which asks the fake authorization server's introspection endpoint
 * whether a bearer token is active and whose it is. Its log goes to {@code dovecot.log} in the scenario's directory.
 */
public final class DovecotServer implements ImapServer {

    static final Path BINARY = Path.of("/usr/sbin/dovecot");
    /** Part of the temporary directory's name, so that {@code bench/run} recognises a Dovecot it started. */
    public static final String DIRECTORY_PREFIX = "intake-bench-dovecot-";
    private static final String SERVICE_USER = "dovecot";

    private final Process process;
    private final int port;
    private final Path home;
    private final TokenIntrospection introspection;
    private final String version;

    private DovecotServer(Process process, int port, Path home, TokenIntrospection introspection, String version) {
        this.process = process;
        this.port = port;
        this.home = home;
        this.introspection = introspection;
        this.version = version;
    }

    /** Whether Dovecot is installed here ({@code bench/run} installs Debian's dovecot-imapd when it is not). */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts Dovecot and waits (at most 30 seconds) until it accepts connections.
     *
     * @param users the mailboxes; each needs a token of its own, since introspection answers whose a token is
     * @param keystore PKCS12 store with the server's key and certificate under the alias {@code localhost}
     */
    public static DovecotServer start(Path logDir, List<ImapServer.User> users, Path keystore, String password)
            throws IOException {
        if (!installed()) {
            throw new IOException("Dovecot is not installed (" + BINARY + "); bench/run installs Debian's dovecot-imapd, "
                    + "or choose --server greenmail");
        }
        Map<String, String> tokens = new HashMap<>();
        for (ImapServer.User user : users) {
            if (tokens.put(user.token().reveal(), user.address()) != null) {
                throw new IllegalArgumentException("Dovecot needs an access token per mailbox: introspection says whose a "
                        + "token is, and two mailboxes share one");
            }
        }
        Files.createDirectories(logDir);
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Files.createTempDirectory(DIRECTORY_PREFIX);
        TokenIntrospection introspection = new TokenIntrospection(tokens);
        try {
            int port = Listening.freePort();
            writePem(keystore, password, home);
            Path config = home.resolve("dovecot.conf");
            Files.writeString(config, configuration(home, port, root), StandardCharsets.UTF_8);
            Files.writeString(home.resolve("oauth2.conf.ext"), """
                    introspection_mode = post
                    introspection_url = %s
                    force_introspection = yes
                    username_attribute = username
                    active_attribute = active
                    active_value = true
                    """.formatted(introspection.url()), StandardCharsets.UTF_8);
            Files.createDirectories(home.resolve("run"));
            Files.createDirectories(home.resolve("state"));
            Files.createDirectories(home.resolve("mail"));
            List<String> command = new ArrayList<>();
            if (root) {
                // Dovecot's processes then all run as its own service user, none as root.
                chownTree(home, SERVICE_USER);
                command.addAll(List.of("setpriv", "--reuid=" + SERVICE_USER, "--regid=" + SERVICE_USER, "--clear-groups"));
            }
            command.addAll(List.of(BINARY.toString(), "-F", "-c", config.toString()));
            Path log = logDir.resolve("dovecot.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ChildProcesses.register(process);
            DovecotServer server = new DovecotServer(process, port, home, introspection, version());
            try {
                Listening.await(process, "Dovecot", port, 30_000, log);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException | RuntimeException e) {
            introspection.close();
            deleteTree(home);
            throw e;
        }
    }

    private static String configuration(Path home, int port, boolean root) {
        String user = root ? SERVICE_USER : System.getProperty("user.name");
        return """
                # Written by the benchmark for one scenario; everything lives in this directory.
                base_dir = %1$s/run
                state_dir = %1$s/state
                log_path = /dev/stderr
                protocols = imap
                listen = 127.0.0.1
                ssl = required
                ssl_cert = <%1$s/server.crt
                ssl_key = <%1$s/server.key
                auth_mechanisms = xoauth2 oauthbearer
                default_login_user = %2$s
                default_internal_user = %2$s
                first_valid_uid = 1
                mail_location = maildir:%1$s/mail/%%n
                mail_uid = %2$s
                mail_gid = %2$s
                passdb {
                  driver = oauth2
                  mechanisms = xoauth2 oauthbearer
                  args = %1$s/oauth2.conf.ext
                }
                userdb {
                  driver = static
                  args = uid=%2$s gid=%2$s home=%1$s/mail/%%n
                }
                # Unprivileged: no chroot; the benchmark's connections all come from 127.0.0.1.
                service anvil {
                  chroot =
                }
                service imap-login {
                  chroot =
                  inet_listener imap {
                    port = 0
                  }
                  inet_listener imaps {
                    port = %3$d
                    ssl = yes
                  }
                }
                mail_max_userip_connections = 1000
                # A refused token is answered at once: the benchmark and its test refuse tokens on purpose.
                auth_failure_delay = 0
                """.formatted(home, user, port);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public double cpuSeconds() {
        return ProcessCpu.ofTree(process.pid());
    }

    @Override
    public String describe() {
        return "Dovecot " + version + " (Maildir, XOAUTH2 by token introspection)";
    }

    /** Dovecot's own directory: configuration, key, mail, runtime files. */
    Path home() {
        return home;
    }

    /** How many tokens Dovecot asked the fake authorization server about. */
    public long introspections() {
        return introspection.requests();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 10);
        introspection.close();
        deleteTree(home);
    }

    /** The key and certificate of the benchmark's keystore as the PEM files Dovecot reads; the key readable by its owner only. */
    private static void writePem(Path keystore, String password, Path home) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            Key key = store.getKey("localhost", password.toCharArray());
            Certificate certificate = store.getCertificate("localhost");
            Path keyFile = home.resolve("server.key");
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(home.resolve("server.crt"), pem("CERTIFICATE", certificate.getEncoded()),
                    StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not read the benchmark's certificate from " + keystore, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.split(" ")[0];
        } catch (IOException e) {
            return "(version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(version unknown)";
        }
    }

    private static void chownTree(Path home, String user) throws IOException {
        try {
            Process p = new ProcessBuilder("chown", "-R", user + ":" + user, home.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("chown -R " + user + " " + home + " failed; is Debian's dovecot-core installed?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing Dovecot's directory", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[bench] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
