package dev.intake.app.admin;

import dev.intake.config.AdminAccount;
import dev.intake.config.Secret;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin a fresh Intake creates for itself, as Jenkins does: when {@code collector.yaml} lists no admins, the
 * first start makes {@value #USERNAME} with a random password, prints the password once to the console (never to
 * the log) and keeps only its bcrypt hash. It can sign in only while the configuration lists no admins.
 */
public final class InitialAdminStore {

    public static final String USERNAME = "admin";

    private static final Logger log = LoggerFactory.getLogger(InitialAdminStore.class);

    private final Jdbi jdbi;
    private final Passwords passwords;
    private final Clock clock;

    public InitialAdminStore(Jdbi jdbi, Passwords passwords, Clock clock) {
        this.jdbi = jdbi;
        this.passwords = passwords;
        this.clock = clock;
    }

    /**
     * Creates the initial admin when none is configured and none was created before, and prints its password to
     * {@code console}. Safe when several nodes start at once: one of them creates it, and only that one prints.
     *
     * @return whether this call created it
     */
    public boolean ensure(List<AdminAccount> configured, PrintStream console) {
        if (!configured.isEmpty() || storedHash(USERNAME).isPresent()) {
            return false;
        }
        Secret password = Passwords.randomPassword();
        Secret hash = passwords.hash(password);
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO admin_initial (username, password_hash, created_at) "
                            + "VALUES (:u, :h, :now)")
                    .bind("u", USERNAME).bind("h", hash.reveal()).bind("now", clock.instant()).execute());
        } catch (UnableToExecuteStatementException anotherNodeWasFaster) {
            if (storedHash(USERNAME).isPresent()) {
                return false;
            }
            throw anotherNodeWasFaster;
        }
        console.println();
        console.println("*************************************************************");
        console.println("No admin is configured, so Intake created one for the web UI:");
        console.println();
        console.println("  user name: " + USERNAME);
        console.println("  password:  " + password.reveal());
        console.println();
        console.println("This is shown once; Intake keeps only a hash. To choose your own admins, add them under");
        console.println("'admins:' in collector.yaml (make a hash with: intake admin hash-password); the initial");
        console.println("admin stops working as soon as one is configured.");
        console.println("*************************************************************");
        console.println();
        console.flush();
        log.info("Created the initial admin '{}'; its password was printed to the console once", USERNAME);
        return true;
    }

    /** The stored hash of the initial admin, if {@code username} is it. */
    Optional<Secret> storedHash(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM admin_initial WHERE username = :u")
                .bind("u", username).mapTo(String.class).findOne().map(Secret::of));
    }

    /** Whether an initial admin exists (it is used only while no admin is configured). */
    boolean exists() {
        return storedHash(USERNAME).isPresent();
    }
}
