package dev.intake.provider.entra;

import dev.intake.config.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificate Intake proves itself with to Entra (a client assertion signed with its private key), read from
 * PEM (the certificate, and the PKCS#8 private key either in the same text or in its own) or from a PKCS#12 file in
 * base64 (as Azure Key Vault hands out a certificate, and as a {@code ${file:}} reference, which reads text, can carry
 * it), with its password. The JDK reads all of them; what it cannot read (an encrypted or PKCS#1 PEM key) is refused
 * with the command that converts it.
 *
 * <p>{@link #toString()} shows the thumbprint only, never the key.
 */
final class ClientCertificate {

    private static final Pattern CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL);
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private ClientCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /**
     * @param certificatePem the certificate, possibly followed or preceded by the private key; or a PKCS#12 file in
     *                       base64
     * @param keyPem         the private key when it has a text of its own
     * @param pkcs12Password the password of a PKCS#12 certificate; none means an empty password
     * @param certificateKey the config key of the certificate, for messages
     * @param keyKey         the config key of the private key, for messages
     * @param passwordKey    the config key of the password, for messages
     * @throws IllegalArgumentException with a message that names the key to fix; it never quotes the values
     */
    static ClientCertificate read(Secret certificatePem, Optional<Secret> keyPem, Optional<Secret> pkcs12Password,
            String certificateKey, String keyKey, String passwordKey) {
        if (!certificatePem.reveal().contains("-----BEGIN")) {
            if (keyPem.isPresent()) {
                throw new IllegalArgumentException(keyKey + " applies to a PEM certificate; a PKCS#12 certificate holds its"
                        + " own key: remove " + keyKey);
            }
            return pkcs12(certificatePem.reveal(), pkcs12Password, certificateKey, passwordKey);
        }
        X509Certificate certificate = certificate(certificatePem.reveal(), certificateKey);
        String keyText = keyPem.map(Secret::reveal).orElse(certificatePem.reveal());
        String keyWhere = keyPem.isPresent() ? keyKey : certificateKey + " (or " + keyKey + ")";
        PrivateKey key = privateKey(keyText, keyWhere);
        if (!(certificate.getPublicKey() instanceof RSAPublicKey publicKey)
                || !(key instanceof RSAPrivateCrtKey rsa) || !publicKey.getModulus().equals(rsa.getModulus())) {
            throw new IllegalArgumentException(keyWhere + " is not the private key of the certificate in " + certificateKey
                    + " (Entra needs an RSA certificate and its own key); configure the pair that was uploaded together");
        }
        return new ClientCertificate(certificate, key);
    }

    private static ClientCertificate pkcs12(String base64, Optional<Secret> password, String where, String passwordKey) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is neither PEM (-----BEGIN CERTIFICATE-----) nor a PKCS#12 file in"
                    + " base64; for a .p12 or .pfx file write its base64 (base64 -w0 intake.p12 > intake.p12.b64) and"
                    + " reference that: ${file:intake.p12.b64}", e);
        }
        char[] secret = password.map(p -> p.reveal().toCharArray()).orElse(new char[0]);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(der), secret);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate
                        && store.getKey(alias, secret) instanceof RSAPrivateCrtKey key) {
                    return new ClientCertificate(certificate, key);
                }
            }
            throw new IllegalArgumentException(where + " is a PKCS#12 file without an RSA key and its certificate;"
                    + " export the certificate with its private key");
        } catch (IOException e) {
            // PKCS#12 reports a wrong password as an IOException whose cause is an UnrecoverableKeyException
            throw new IllegalArgumentException(where + " is a PKCS#12 file that cannot be opened: the password in "
                    + passwordKey + " is wrong or missing, or the file is damaged", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " is a PKCS#12 file the JDK cannot read ("
                    + e.getClass().getSimpleName() + ")", e);
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
    }

    private static X509Certificate certificate(String text, String where) {
        Matcher m = CERTIFICATE.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(where + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); give"
                    + " the certificate uploaded to the app registration, e.g. ${file:intake-entra.pem}");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(where + " holds a PEM certificate the JDK cannot read ("
                    + e.getClass().getSimpleName() + "); export it again as PEM", e);
        }
    }

    private static PrivateKey privateKey(String text, String where) {
        Matcher m = PKCS8.matcher(text);
        if (!m.find()) {
            String convert = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out intake-key.pem";
            if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
                throw new IllegalArgumentException(where + " holds a PKCS#1 key (BEGIN RSA PRIVATE KEY); Intake reads"
                        + " PKCS#8 (BEGIN PRIVATE KEY)" + convert);
            }
            if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
                throw new IllegalArgumentException(where + " holds an encrypted key; keep the key in a file only"
                        + " Intake's user can read, without a passphrase" + convert);
            }
            throw new IllegalArgumentException(where + " holds no PEM private key (-----BEGIN PRIVATE KEY-----); give"
                    + " the private key of the certificate, e.g. ${file:intake-entra.key}");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(where + " holds a private key that is not an RSA key in PKCS#8"
                    + " (" + e.getClass().getSimpleName() + "); Entra certificates are RSA", e);
        }
    }

    X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** The SHA-1 thumbprint in hex, as the app registration's Certificates & secrets page lists it. */
    String thumbprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
            return HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK and the certificate was read from its encoding", e);
        }
    }

    Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "ClientCertificate[thumbprint " + thumbprint() + ", expires " + notAfter() + "]";
    }
}
