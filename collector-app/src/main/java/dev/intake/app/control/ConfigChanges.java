package dev.intake.app.control;

import dev.intake.app.keys.KeyOperations;
import dev.intake.app.schedule.ScheduleReconciler;
import dev.intake.app.store.MailboxStore;
import dev.intake.config.ConfigListener;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a reloaded configuration to a running node: new encryption keys (re-sealing what is stored when the active
 * key changed), rows for new mailboxes, and the schedule. Settings read where they are used (providers, mailboxes,
 * admins, secrets) need nothing here; database, server and operations settings need a restart, and the log says so.
 */
public final class ConfigChanges implements ConfigListener {

    private static final Logger log = LoggerFactory.getLogger(ConfigChanges.class);

    private final KeyOperations keys;
    private final MailboxStore mailboxes;
    private final ScheduleReconciler schedule;

    public ConfigChanges(KeyOperations keys, MailboxStore mailboxes, ScheduleReconciler schedule) {
        this.keys = keys;
        this.mailboxes = mailboxes;
        this.schedule = schedule;
    }

    @Override
    public void changed(IntakeConfig previous, IntakeConfig next) {
        if (!previous.database().equals(next.database()) || !previous.server().equals(next.server())
                || !previous.operations().equals(next.operations())) {
            log.warn("database, server and operations settings take effect at the next restart; the other changes apply now");
        }
        keys.reload(previous.encryption(), next.encryption());
        ensureMailboxRows(next);
        schedule.reconcile();
    }

    /** Every configured mailbox has its state row (not authorized until an admin authorizes it). */
    public void ensureMailboxRows(IntakeConfig config) {
        for (MailboxConfig m : config.mailboxes()) {
            mailboxes.ensure(m.id());
        }
    }
}
