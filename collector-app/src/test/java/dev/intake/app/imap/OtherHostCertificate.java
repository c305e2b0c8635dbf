package dev.intake.app.imap;

import dev.intake.config.Secret;
import dev.intake.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A trusted certificate issued for another host ({@value #HOST}), made with keytool like
 * {@code TestCertificates}: a server presenting it on localhost must be refused by the host name check alone.
 */
final class OtherHostCertificate {

    static final String HOST = "mail.other.example";
    private static final String PASSWORD = "changeit";
    private static OtherHostCertificate instance;

    private final Path keystore;
    private final Path truststore;

    private OtherHostCertificate(Path dir) throws IOException, InterruptedException {
        keystore = dir.resolve("other.p12");
        truststore = dir.resolve("other-trust.p12");
        Path cert = dir.resolve("other.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=" + HOST, "-ext", "SAN=dns:" + HOST, "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        run(keytool, "-exportcert", "-alias", "other", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", cert.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "other", "-file", cert.toString(),
                "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);
    }

    static synchronized OtherHostCertificate get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("intake-other-host-tls");
                dir.toFile().deleteOnExit();
                instance = new OtherHostCertificate(dir);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not make a certificate with keytool", e);
            }
        }
        return instance;
    }

    /** Trusts this certificate, as tls.truststore would. */
    TlsConfig clientTls() {
        return new TlsConfig(Optional.of(truststore), Optional.of(Secret.of(PASSWORD)));
    }

    SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
