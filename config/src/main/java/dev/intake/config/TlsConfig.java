package dev.intake.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Extra trust for TLS connections Intake makes (IMAP, the providers' endpoints and the delivery targets), for a
 * private CA. Absent: the JDK's default trust store. There is deliberately no switch that trusts everything.
 *
 * @param truststoreContent a digest of the trust store's content as it was read, so that a store replaced at the
 *                          same path is a changed configuration, and what trusts it is rebuilt; empty without a store
 */
public record TlsConfig(Optional<Path> truststore, Optional<Secret> truststorePassword, String truststoreContent) {

    /** A store as it is on disk now. */
    public TlsConfig(Optional<Path> truststore, Optional<Secret> truststorePassword) {
        this(truststore, truststorePassword, truststore.map(SourceFiles::fingerprint).orElse(""));
    }

    public static TlsConfig systemDefault() {
        return new TlsConfig(Optional.empty(), Optional.empty(), "");
    }
}
