package dev.intake.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** PKCS12 stores holding one self-signed certificate, made with the JDK's keytool as an operator would. */
final class TestTrustStores {

    static final String PASSWORD = "changeit";

    private TestTrustStores() {
    }

    /**
     * Writes a store with a fresh self-signed certificate under {@code alias} to {@code target}. One keytool run:
     * the store holds the key too, which a trust store does not need but which costs a second JVM start to drop.
     */
    static Path create(Path target, String alias) throws IOException, InterruptedException {
        Files.deleteIfExists(target);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=" + alias, "-storetype", "PKCS12", "-keystore", target.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        return target;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
