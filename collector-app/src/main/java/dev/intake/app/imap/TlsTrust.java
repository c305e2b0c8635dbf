package dev.intake.app.imap;

import dev.intake.config.Secret;
import dev.intake.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificate authorities Intake trusts for TLS: the JDK's own, plus those of the operator's
 * {@code tls.truststore} (PKCS12 or JKS) when one is configured, for a private CA.
 *
 * <p>The configured store adds to the JDK's authorities instead of replacing them, so adding a private CA for one
 * server does not break the public ones (Microsoft, Google). Certificates are always verified by the JDK's PKIX
 * trust manager; there is deliberately no way to trust everything.
 */
public final class TlsTrust {

    private final SSLContext context;
    private final X509TrustManager trustManager;
    private final Optional<Path> truststore;

    private TlsTrust(SSLContext context, X509TrustManager trustManager, Optional<Path> truststore) {
        this.context = context;
        this.trustManager = trustManager;
        this.truststore = truststore;
    }

    /** The JDK's default trust (its {@code cacerts}, or {@code javax.net.ssl.trustStore} when set). */
    public static TlsTrust systemDefault() {
        return from(TlsConfig.systemDefault());
    }

    /**
     * Trust for the given configuration.
     *
     * @throws IllegalArgumentException when the configured truststore cannot be read; the message names
     *                                  {@code tls.truststore} and what to fix
     */
    public static TlsTrust from(TlsConfig config) {
        Objects.requireNonNull(config, "config");
        try {
            KeyStore trusted = jdkAuthorities();
            if (config.truststore().isPresent()) {
                addConfigured(trusted, config.truststore().get(), config.truststorePassword());
            }
            X509TrustManager trustManager = x509TrustManager(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return new TlsTrust(context, trustManager, config.truststore());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not set up TLS trust: " + e.getMessage(), e);
        }
    }

    /** For IMAP (and any other client): verifies certificates against this trust. */
    public SSLSocketFactory socketFactory() {
        return context.getSocketFactory();
    }

    public SSLContext sslContext() {
        return context;
    }

    /** The operator's truststore, when one is configured; for error messages. */
    public Optional<Path> truststore() {
        return truststore;
    }

    @Override
    public String toString() {
        return "TlsTrust[" + truststore.map(p -> "JDK + " + p).orElse("JDK default") + "]";
    }

    /** The authorities trusted; for tests. */
    List<X509Certificate> acceptedIssuers() {
        return List.of(trustManager.getAcceptedIssuers());
    }

    /** A copy of the JDK's trusted authorities, as a key store the configured ones can be added to. */
    private static KeyStore jdkAuthorities() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509Certificate ca : x509TrustManager(null).getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + n++, ca);
        }
        return store;
    }

    /** The JDK's PKIX trust manager over the given authorities (null: the JDK's default trust store). */
    private static X509TrustManager x509TrustManager(KeyStore authorities) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(authorities);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new KeyStoreException("the JDK offers no X.509 trust manager");
    }

    private static void addConfigured(KeyStore into, Path file, Optional<Secret> password)
            throws GeneralSecurityException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("tls.truststore: " + file.toAbsolutePath()
                    + " does not exist or is not a file; point it to a PKCS12 or JKS file with your CA certificate");
        }
        KeyStore configured;
        try {
            // Probes the format, so PKCS12 and JKS both work without a type setting.
            configured = KeyStore.getInstance(file.toFile(), password.map(s -> s.reveal().toCharArray()).orElse(null));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.truststore: could not read " + file.toAbsolutePath()
                    + " as PKCS12 or JKS (" + e.getClass().getSimpleName()
                    + "); check the file and tls.truststore-password", e);
        }
        int added = 0;
        for (String alias : Collections.list(configured.aliases())) {
            // Like the JDK's own trust manager: certificate entries, and the leaf of a key entry.
            Certificate cert = configured.getCertificate(alias);
            if (cert != null) {
                into.setCertificateEntry("configured-" + alias, cert);
                added++;
            }
        }
        if (added == 0) {
            throw new IllegalArgumentException("tls.truststore: " + file.toAbsolutePath()
                    + " holds no readable certificate; add your CA certificate"
                    + (password.isEmpty() ? ", or set tls.truststore-password if the store is protected" : ""));
        }
    }
}
