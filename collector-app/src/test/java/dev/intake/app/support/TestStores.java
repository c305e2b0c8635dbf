package dev.intake.app.support;

import dev.intake.app.crypto.KeyRings;
import dev.intake.app.crypto.SecretBox;
import dev.intake.app.store.AuthorizationStore;
import dev.intake.app.store.Database;
import dev.intake.app.store.MailboxStore;
import dev.intake.app.store.SealedValueStore;
import dev.intake.config.IntakeConfig;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The stores of a fixture's database, opened beside the running Intake, for tests that assert what is stored: a
 * mailbox's state, a grant's version, rows a web request wrote. (An H2 file opened twice in one JVM is one database.)
 * Intake itself keeps its stores to itself.
 */
public final class TestStores implements AutoCloseable {

    private final Database database;
    private final SecretBox box;
    private final Clock clock;

    TestStores(IntakeConfig config, Clock clock) {
        this.database = Database.open(new dev.intake.config.DatabaseConfig(config.database().url(),
                config.database().user(), config.database().password(), 2));
        this.box = new SecretBox(KeyRings.fromConfig(config.encryption(),
                new SealedValueStore(database.jdbi()).keyIdsInUse()));
        this.clock = clock;
    }

    public MailboxStore mailboxes() {
        return new MailboxStore(database.jdbi(), clock);
    }

    public AuthorizationStore authorizations() {
        return new AuthorizationStore(database.jdbi(), box, clock);
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    @Override
    public void close() {
        database.close();
    }
}
