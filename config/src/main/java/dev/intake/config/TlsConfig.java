package dev.intake.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Extra trust for TLS connections Intake makes (IMAP and the providers' endpoints), for a private CA.
 * Absent: the JDK's default trust store. There is deliberately no switch that trusts everything.
 */
public record TlsConfig(Optional<Path> truststore, Optional<Secret> truststorePassword) {

    public static TlsConfig systemDefault() {
        return new TlsConfig(Optional.empty(), Optional.empty());
    }
}
