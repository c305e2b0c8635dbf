package dev.intake.app.admin;

import dev.intake.config.AdminAccount;
import dev.intake.config.Secret;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin a fresh Intake creates for itself, as Jenkins does: when {@code collector.yaml} lists no admins, the
 * first start makes {@value #USERNAME} with a random password and keeps only its bcrypt hash. The password goes to a
 * file only Intake's user can read, and to the console only when that is a terminal: a service's output ends up in
 * the journal, where every admin of the machine could read it. It can sign in only while the configuration lists no
 * admins.
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
    public boolean ensure(List<AdminAccount> configured, PrintStream console, Path passwordFile, boolean terminal) {
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
        writePrivately(passwordFile, "user name: " + USERNAME + "\npassword:  " + password.reveal() + "\n");
        console.println();
        console.println("*************************************************************");
        console.println("No admin is configured, so Intake created one for the web UI:");
        console.println();
        console.println("  user name: " + USERNAME);
        console.println("  password:  " + (terminal ? password.reveal() : "in " + passwordFile.toAbsolutePath()
                + " (readable by Intake's user only)"));
        console.println();
        console.println("Intake keeps only a hash" + (terminal ? "; the password is also in " + passwordFile.toAbsolutePath()
                : "") + ". Delete that file once you have signed in. To choose your own admins,");
        console.println("add them under 'admins:' in collector.yaml (make a hash with: intake admin hash-password);");
        console.println("the initial admin stops working as soon as one is configured.");
        console.println("*************************************************************");
        console.println();
        console.flush();
        log.info("Created the initial admin '{}'; its password is in {}", USERNAME, passwordFile.toAbsolutePath());
        return true;
    }

    private static void writePrivately(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("could not write the initial admin's password to " + file + ": " + e.getMessage()
                    + "; make the directory writable for Intake's user, or configure admins in collector.yaml", e);
        }
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
