package dev.intake.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} / {@code 127.0.0.1}, made once per JVM with the JDK's own
 * {@code keytool}, for test servers that must speak real TLS (the fake Entra endpoints, GreenMail IMAPS).
 * Clients trust it through {@link #truststore()} (a PKCS12 file, as an operator would configure
 * {@code tls.truststore}) or {@link #clientContext()}.
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";
    private static TestCertificates instance;

    private final Path keystore;
    private final Path truststore;

    private TestCertificates(Path dir) throws IOException, InterruptedException {
        this.keystore = dir.resolve("server.p12");
        this.truststore = dir.resolve("trust.p12");
        Path cert = dir.resolve("server.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "3650", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        run(keytool, "-exportcert", "-alias", "localhost", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", cert.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "localhost", "-file", cert.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);
    }

    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("intake-test-tls");
                dir.toFile().deleteOnExit();
                instance = new TestCertificates(dir);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not make a test certificate with keytool", e);
            }
        }
        return instance;
    }

    /** PKCS12 key store holding the server's key and certificate (password {@link #PASSWORD}). */
    public Path keystore() {
        return keystore;
    }

    /** PKCS12 trust store holding only the server's certificate (password {@link #PASSWORD}). */
    public Path truststore() {
        return truststore;
    }

    /** For a test server: presents the localhost certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keystore), PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** For a client: trusts the localhost certificate and nothing else. */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(truststore));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
