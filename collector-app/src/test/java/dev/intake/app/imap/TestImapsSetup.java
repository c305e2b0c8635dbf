package dev.intake.app.imap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.icegreen.greenmail.util.ServerSetup;
import dev.intake.config.Secret;
import dev.intake.config.TlsConfig;
import dev.intake.testing.TestCertificates;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * GreenMail IMAPS presenting {@link TestCertificates}' localhost certificate.
 *
 * <p>GreenMail reads its key store once per JVM, from system properties, when the first TLS server starts: every
 * test that starts a GreenMail TLS server must take its setup from {@link #setup()}, or the first one to start
 * decides the certificate for all.
 */
public final class TestImapsSetup {

    private TestImapsSetup() {
    }

    /** IMAPS on a free port of 127.0.0.1. */
    public static ServerSetup setup() {
        // GreenMail's wire trace (DEBUG) costs seconds on large messages and prints test tokens; GreenMailTrace
        // turns it on where a test asserts on it.
        ((Logger) LoggerFactory.getLogger("com.icegreen.greenmail")).setLevel(Level.INFO);
        TestCertificates certs = TestCertificates.get();
        System.setProperty("greenmail.tls.keystore.file", certs.keystore().toString());
        System.setProperty("greenmail.tls.keystore.password", TestCertificates.PASSWORD);
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS);
        setup.setServerStartupTimeout(5_000);
        return setup;
    }

    /** What a client needs to trust the test certificate, as an operator would configure tls.truststore. */
    public static TlsConfig clientTls() {
        TestCertificates certs = TestCertificates.get();
        return new TlsConfig(Optional.of(certs.truststore()), Optional.of(Secret.of(TestCertificates.PASSWORD)));
    }
}
