package dev.intake.config;

import java.util.Optional;

/** The JDBC database: embedded H2 by default, PostgreSQL for several nodes. */
public record DatabaseConfig(String url, Optional<String> user, Optional<Secret> password, int poolSize) {

    public boolean isPostgresql() {
        return url.startsWith("jdbc:postgresql:");
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }
}
