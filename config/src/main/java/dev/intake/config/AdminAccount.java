package dev.intake.config;

/** An admin who may sign in to the web UI; only a password hash (bcrypt) is configured. */
public record AdminAccount(String username, Secret passwordHash) {
}
