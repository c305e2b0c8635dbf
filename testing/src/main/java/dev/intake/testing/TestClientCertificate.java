package dev.intake.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A client certificate as an admin makes one for an Entra app registration: an RSA key pair and a self-signed
 * certificate, made with the JDK's {@code keytool}, written as PEM files an operator would reference with
 * {@code ${file:}}. The fake Entra server is told which certificates are uploaded.
 *
 * @param certificatePem the certificate, PEM
 * @param privateKeyPem  its private key, PKCS#8 PEM
 */
public record TestClientCertificate(X509Certificate certificate, PrivateKey privateKey, String certificatePem,
        String privateKeyPem) {

    private static final String PASSWORD = "changeit";

    /** A new key pair and certificate with subject {@code CN=name}. */
    public static TestClientCertificate generate(String name) {
        try {
            Path dir = Files.createTempDirectory("intake-client-cert");
            Path store = dir.resolve("client.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize",
                    "2048", "-validity", "365", "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore",
                    store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + out);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            X509Certificate certificate = (X509Certificate) ks.getCertificate("client");
            PrivateKey key = (PrivateKey) ks.getKey("client", PASSWORD.toCharArray());
            Files.delete(store);
            Files.delete(dir);
            return new TestClientCertificate(certificate, key, pem("CERTIFICATE", certificate.getEncoded()),
                    pem("PRIVATE KEY", key.getEncoded()));
        } catch (IOException | InterruptedException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("could not make a client certificate with keytool", e);
        }
    }

    /** Certificate and key in one PEM text, as {@code openssl pkcs12 -nodes} writes them. */
    public String combinedPem() {
        return privateKeyPem + certificatePem;
    }

    /** The key and certificate as a PKCS#12 file (a .p12 or .pfx) protected by {@code password}, in base64. */
    public String pkcs12Base64(String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("intake", privateKey, password.toCharArray(), new java.security.cert.Certificate[] {certificate});
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            store.store(out, password.toCharArray());
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("could not write a PKCS#12 file", e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "TestClientCertificate[" + certificate.getSubjectX500Principal() + "]";
    }
}
