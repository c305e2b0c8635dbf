package dev.intake.app.store;

import org.jdbi.v3.core.Handle;

/**
 * One database transaction that several stores write in: collection commits a batch's ledger records and tickets
 * (and their delivery outbox items) together, and a token refresh keeps the grant row locked while it talks to the
 * provider. Only stores look inside ({@link #handle()}); everyone else just passes it on.
 */
public final class Transaction {

    private static final String SAVEPOINT = "unit";

    private final Handle handle;

    Transaction(Handle handle) {
        this.handle = handle;
    }

    /** For stores only: the connection the transaction runs on. */
    public Handle handle() {
        return handle;
    }

    /**
     * Runs one unit of work (a message of a batch) so that a failure undoes its writes alone and the transaction
     * can go on: a savepoint, since PostgreSQL refuses every further statement of a transaction after a failed one
     * until it is rolled back to a savepoint.
     */
    public void undoingOnFailure(Runnable work) {
        handle.savepoint(SAVEPOINT);
        try {
            work.run();
        } catch (RuntimeException e) {
            try {
                handle.rollbackToSavepoint(SAVEPOINT);
            } catch (RuntimeException rollback) {
                // The connection is likely gone; the transaction fails, and the unit's own error says why.
                e.addSuppressed(rollback);
            }
            throw e;
        }
        handle.releaseSavepoint(SAVEPOINT);
    }
}
