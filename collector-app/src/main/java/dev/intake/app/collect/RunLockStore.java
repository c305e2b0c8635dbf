package dev.intake.app.collect;

import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * One collection of a mailbox at a time, across threads, commands and nodes: a run holds its mailbox's lock row
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}) in an open transaction for as long as it collects. Quartz already keeps
 * scheduled runs apart; this also covers "Poll now" from the CLI on another node. A process that dies releases the lock
 * with its connection.
 */
public final class RunLockStore {

    private final Jdbi jdbi;

    public RunLockStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The lock if no other run holds it now. */
    public Optional<Held> tryAcquire(String mailboxId) {
        ensureRow(mailboxId);
        Handle h = jdbi.open();
        try {
            h.begin();
            boolean got = h.createQuery("SELECT mailbox_id FROM mailbox_run_lock WHERE mailbox_id = :id FOR UPDATE SKIP LOCKED")
                    .bind("id", mailboxId).mapTo(String.class).findOne().isPresent();
            if (got) {
                return Optional.of(new Held(h));
            }
            h.rollback();
            h.close();
            return Optional.empty();
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code wait} for the run in progress (if any) to finish.
     *
     * @throws IllegalStateException when it is still running after that
     */
    public Held acquire(String mailboxId, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<Held> held = tryAcquire(mailboxId);
            if (held.isPresent()) {
                return held.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("mailbox '" + mailboxId + "' is being collected by another run for longer than "
                        + wait.toSeconds() + "s; try again when it has finished");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the run of mailbox '" + mailboxId + "'", e);
            }
        }
    }

    private void ensureRow(String mailboxId) {
        jdbi.useHandle(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM mailbox_run_lock WHERE mailbox_id = :id").bind("id", mailboxId)
                    .mapTo(Integer.class).one() == 0) {
                try {
                    h.createUpdate("INSERT INTO mailbox_run_lock (mailbox_id) VALUES (:id)").bind("id", mailboxId).execute();
                } catch (RuntimeException raced) {
                    // another run inserted it first: the row exists, which is all that matters
                }
            }
        });
    }

    /** A held lock; closing it ends the transaction and releases the mailbox. */
    public static final class Held implements AutoCloseable {
        private final Handle handle;

        private Held(Handle handle) {
            this.handle = handle;
        }

        @Override
        public void close() {
            try {
                handle.rollback();
            } finally {
                handle.close();
            }
        }
    }
}
