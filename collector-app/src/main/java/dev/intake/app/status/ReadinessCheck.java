package dev.intake.app.status;

import dev.intake.app.store.Database;
import dev.intake.config.ConfigProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Builds {@code /health/ready}'s report: the node is ready when its database answers, its schema is current and its
 * scheduler runs; stale mailboxes, provider warnings and messages without a record make it "degraded" (still ready:
 * a node that cannot reach one provider should go on collecting the others and serving the callback); so does a
 * delivery target whose oldest undelivered item is older than {@code delivery.backlog-warning}.
 */
public final class ReadinessCheck {

    private final Database database;
    private final BooleanSupplier schedulerStarted;
    private final MailboxStatuses mailboxes;
    private final ProviderStatuses providers;
    private final Supplier<List<ConfigProblem>> refusedConfig;
    private final Supplier<List<String>> deliveryWarnings;

    public ReadinessCheck(Database database, BooleanSupplier schedulerStarted, MailboxStatuses mailboxes,
            ProviderStatuses providers, Supplier<List<ConfigProblem>> refusedConfig,
            Supplier<List<String>> deliveryWarnings) {
        this.deliveryWarnings = deliveryWarnings;
        this.database = database;
        this.schedulerStarted = schedulerStarted;
        this.mailboxes = mailboxes;
        this.providers = providers;
        this.refusedConfig = refusedConfig;
    }

    public Readiness check() {
        boolean db = database.reachable();
        boolean migrations = db && database.migrationsCurrent();
        boolean scheduling = schedulerStarted.getAsBoolean();
        boolean ready = db && migrations && scheduling;
        List<String> stale = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (db) {
            for (MailboxStatus s : mailboxes.all()) {
                if (s.unrecorded() > 0) {
                    warnings.add("mailbox '" + s.id() + "': " + s.unrecorded() + " message(s) in its accepted or refused "
                            + "folder have no record of Intake handling them and may be missing from the helpdesk; "
                            + "re-import them on the mailbox page or with `intake reconcile " + s.id() + "`");
                }
                if (s.stale()) {
                    stale.add(s.id());
                    warnings.add("mailbox '" + s.id() + "' has not been collected successfully since "
                            + s.lastSuccessAt().map(Object::toString).orElse("it was authorized")
                            + s.lastError().map(e -> "; last error: " + e).orElse(""));
                }
            }
        }
        providers.all().forEach(p -> p.warning().ifPresent(warnings::add));
        if (db) {
            // A helpdesk that is down delays tickets but collection goes on: a warning, never unready.
            warnings.addAll(deliveryWarnings.get());
        }
        List<ConfigProblem> refused = refusedConfig.get();
        if (!refused.isEmpty()) {
            warnings.add("the last change to the configuration was refused (" + refused.size() + " problem(s): "
                    + refused.get(0) + (refused.size() > 1 ? "; ..." : "") + "); the previous configuration stays in force");
        }
        String status = !ready ? "unready" : warnings.isEmpty() ? "ready" : "degraded";
        return new Readiness(status, ready, db, migrations, scheduling, stale, warnings);
    }
}
