package dev.intake.app.imap;

import dev.intake.config.TlsConfig;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS trust of the configuration as it is now (the JDK's, plus {@code tls.truststore}), for IMAP connections and
 * the providers' HTTPS calls alike. Rebuilt only when {@code tls} changes, since loading a trust store is not free.
 */
public final class TrustedConnections {

    private record Built(TlsConfig config, TlsTrust trust, ImapConnector imap) {
    }

    private final Supplier<TlsConfig> config;
    private final AtomicReference<Built> built = new AtomicReference<>();

    public TrustedConnections(Supplier<TlsConfig> config) {
        this.config = config;
    }

    public ImapConnector imap() {
        return current().imap();
    }

    public SSLSocketFactory socketFactory() {
        return current().trust().socketFactory();
    }

    /** For HTTPS clients (delivery targets): the same trust as a context. */
    public SSLContext sslContext() {
        return current().trust().sslContext();
    }

    private Built current() {
        TlsConfig tls = config.get();
        Built now = built.get();
        if (now == null || !now.config().equals(tls)) {
            TlsTrust trust = TlsTrust.from(tls);
            now = new Built(tls, trust, new ImapConnector(trust));
            built.set(now);
        }
        return now;
    }
}
