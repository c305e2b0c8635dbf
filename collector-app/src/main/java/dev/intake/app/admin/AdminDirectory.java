package dev.intake.app.admin;

import dev.intake.config.AdminAccount;
import dev.intake.config.IntakeConfig;
import dev.intake.config.Secret;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who may sign in: the admins of {@code collector.yaml} as it is now (a reload adds or removes them at once), or,
 * while it lists none, the {@link InitialAdminStore}.
 */
public final class AdminDirectory {

    private final Supplier<IntakeConfig> config;
    private final InitialAdminStore initial;
    private final Passwords passwords;

    public AdminDirectory(Supplier<IntakeConfig> config, InitialAdminStore initial, Passwords passwords) {
        this.config = config;
        this.initial = initial;
        this.passwords = passwords;
    }

    /** @return the user name when the password is right; empty for a wrong password or an unknown name alike */
    public Optional<String> authenticate(String username, Secret password) {
        Optional<Secret> hash = hashOf(username);
        if (hash.isEmpty()) {
            passwords.spendDecoyCheck(password);
            return Optional.empty();
        }
        return passwords.matches(password, hash.get()) ? Optional.of(username) : Optional.empty();
    }

    /** Whether {@code username} may (still) sign in: removing an admin from the configuration ends their sessions. */
    public boolean isAdmin(String username) {
        return hashOf(username).isPresent();
    }

    /** Whether sign-in currently goes through the initial admin (no admin is configured). */
    public boolean usesInitialAdmin() {
        return config.get().admins().isEmpty() && initial.exists();
    }

    private Optional<Secret> hashOf(String username) {
        List<AdminAccount> configured = config.get().admins();
        if (configured.isEmpty()) {
            return initial.storedHash(username);
        }
        return configured.stream().filter(a -> a.username().equals(username)).findFirst().map(AdminAccount::passwordHash);
    }
}
