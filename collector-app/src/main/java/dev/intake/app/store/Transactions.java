package dev.intake.app.store;

import org.jdbi.v3.core.Jdbi;

/** Starts the transactions that several stores take part in; see {@link Transaction}. */
public final class Transactions {

    /** Work in a transaction that may fail with one checked exception. */
    @FunctionalInterface
    public interface Work<T, X extends Exception> {
        T run(Transaction tx) throws X;
    }

    private final Jdbi jdbi;

    public Transactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs the work in one transaction: it commits when the work returns, and nothing of it is kept when it throws. */
    public <T, X extends Exception> T inTransaction(Work<T, X> work) throws X {
        return jdbi.inTransaction(h -> work.run(new Transaction(h)));
    }
}
