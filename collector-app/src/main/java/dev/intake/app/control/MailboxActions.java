package dev.intake.app.control;

import dev.intake.app.events.EventStore;
import dev.intake.app.events.EventType;
import dev.intake.app.imap.ImapException;
import dev.intake.app.reconcile.Reconciler;
import dev.intake.app.reconcile.Reconciliation;
import dev.intake.app.reconcile.ReconciliationStore;
import dev.intake.app.schedule.CollectionScheduler;
import dev.intake.app.schedule.ScheduleReconciler;
import dev.intake.app.store.MailboxRecord;
import dev.intake.app.store.MailboxStore;
import dev.intake.app.check.ConnectionCheck;
import dev.intake.app.check.ConnectionReport;
import dev.intake.app.web.MailboxControl;
import dev.intake.provider.ProviderException;
import java.util.List;
import java.util.Optional;

/**
 * What an admin's buttons (and the API) do to a mailbox's collection: Poll now, Pause and Resume, Check now and
 * Re-import. On a one-shot command there is no scheduler: a poll then waits for the next run of a node.
 */
public final class MailboxActions implements MailboxControl {

    private final MailboxStore mailboxes;
    private final ScheduleReconciler schedule;
    private final Reconciler reconciler;
    private final ReconciliationStore reconciliations;
    private final Optional<CollectionScheduler> scheduler;
    private final ConnectionCheck connections;
    private final EventStore events;

    public MailboxActions(MailboxStore mailboxes, ScheduleReconciler schedule, Reconciler reconciler,
            ReconciliationStore reconciliations, Optional<CollectionScheduler> scheduler, ConnectionCheck connections,
            EventStore events) {
        this.connections = connections;
        this.events = events;
        this.mailboxes = mailboxes;
        this.schedule = schedule;
        this.reconciler = reconciler;
        this.reconciliations = reconciliations;
        this.scheduler = scheduler;
    }

    @Override
    public ConnectionReport testConnection(String mailboxId) {
        return connections.test(mailboxId);
    }

    @Override
    public List<String> appOnlySetup(String mailboxId) {
        return connections.appOnlySetup(mailboxId);
    }

    @Override
    public void pollNow(String mailboxId) {
        scheduler.orElseThrow(() -> new IllegalStateException("this command does not collect on a schedule"))
                .pollNow(mailboxId);
    }

    /** Collects a mailbox now if it is being collected at all; otherwise its mail waits for the next run. */
    public void pollSoon(String mailboxId) {
        try {
            pollNow(mailboxId);
        } catch (IllegalStateException notCollected) {
            // Paused, not authorized, or no scheduler here.
        }
    }

    @Override
    public void setPaused(String mailboxId, boolean paused) {
        mailboxes.setPausedByAdmin(mailboxId, paused);
        events.append(EventType.MAILBOX_STATE_CHANGED, mailboxId, paused ? "paused" : "resumed");
        schedule.reconcile();
    }

    @Override
    public boolean pausedByAdmin(String mailboxId) {
        return mailboxes.find(mailboxId).map(MailboxRecord::pausedByAdmin).orElse(false);
    }

    @Override
    public Optional<Reconciliation> lastReconciliation(String mailboxId) {
        return reconciliations.last(mailboxId);
    }

    @Override
    public Reconciliation reconcileNow(String mailboxId) {
        return reconciler.check(mailboxId);
    }

    @Override
    public int reimportUnrecorded(String mailboxId) {
        int moved;
        try {
            moved = reconciler.reimport(mailboxId);
        } catch (ProviderException | ImapException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (moved > 0) {
            pollSoon(mailboxId);
        }
        return moved;
    }
}
