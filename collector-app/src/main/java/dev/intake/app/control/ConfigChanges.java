package dev.intake.app.control;

import dev.intake.app.keys.KeyOperations;
import dev.intake.app.schedule.ScheduleReconciler;
import dev.intake.app.store.MailboxStore;
import dev.intake.config.ConfigListener;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
        List<String> needRestart = needRestart(previous, next);
        if (!needRestart.isEmpty()) {
            log.warn("{} changed: {} at the next restart; the other changes apply now",
                    String.join(", ", needRestart), needRestart.size() == 1 ? "it takes effect" : "they take effect");
        }
        keys.reload(previous.encryption(), next.encryption());
        ensureMailboxRows(next);
        schedule.reconcile();
    }

    /**
     * The settings a node reads once, at start: where it listens and what its callback URL is, the database and its
     * pool, and the scheduler's threads and shutdown grace. Everything else is read where it is used.
     */
    static List<String> needRestart(IntakeConfig previous, IntakeConfig next) {
        List<String> changed = new ArrayList<>();
        ServerConfig a = previous.server();
        ServerConfig b = next.server();
        add(changed, "server.bind", a.bind(), b.bind());
        add(changed, "server.port", a.port(), b.port());
        add(changed, "server.public-url", a.publicUrl(), b.publicUrl());
        add(changed, "database", previous.database(), next.database());
        add(changed, "operations.scheduler-threads", previous.operations().schedulerThreads(),
                next.operations().schedulerThreads());
        add(changed, "operations.shutdown-grace", previous.operations().shutdownGrace(), next.operations().shutdownGrace());
        return changed;
    }

    private static void add(List<String> changed, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.add(key);
        }
    }

    /**
     * Every configured mailbox has its state row: not authorized until an admin authorizes it, or active at once when
     * the application opens it itself ({@code auth: app}).
     */
    public void ensureMailboxRows(IntakeConfig config) {
        for (MailboxConfig m : config.mailboxes()) {
            mailboxes.ensure(m.id(), m.appOnly());
        }
    }
}
