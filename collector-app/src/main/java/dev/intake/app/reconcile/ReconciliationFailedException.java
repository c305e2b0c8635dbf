package dev.intake.app.reconcile;

/** A comparison of a mailbox's folders with the records could not be finished; the message says why. */
public final class ReconciliationFailedException extends RuntimeException {

    public ReconciliationFailedException(String message) {
        super(message);
    }
}
