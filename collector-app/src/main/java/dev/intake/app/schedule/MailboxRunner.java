package dev.intake.app.schedule;

import java.util.function.BooleanSupplier;

/** One collection run of one mailbox, as the scheduler starts it. */
@FunctionalInterface
public interface MailboxRunner {

    /**
     * @param forced        an admin asked for this run ("Poll now"): run even while the mailbox backs off
     * @param stopRequested true once the node is shutting down: finish the message in hand, commit, and return
     */
    void run(String mailboxId, boolean forced, BooleanSupplier stopRequested);
}
