package dev.intake.app.schedule;

import org.jdbi.v3.core.Jdbi;

/**
 * Gives back the triggers a stopped node had acquired but not fired. Quartz's scheduler thread, halted while it waits
 * for an acquired trigger's fire time, leaves the loop without releasing it (quartz 2.5.2,
 * {@code QuartzSchedulerThread.run}: {@code goAhead} false, nothing released): the trigger stays ACQUIRED with a fired
 * row of the stopped node until cluster recovery or the next start notices. This does what Quartz's own
 * {@code releaseAcquiredTrigger} does, for this node's acquired triggers only, once its scheduler has shut down.
 */
final class AcquiredTriggerStore {

    private final Jdbi jdbi;
    private final String schedulerName;

    AcquiredTriggerStore(Jdbi jdbi, String schedulerName) {
        this.jdbi = jdbi;
        this.schedulerName = schedulerName;
    }

    /** @return how many triggers were given back */
    int releaseAcquiredBy(String instanceId) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE qrtz_triggers SET trigger_state = 'WAITING' WHERE sched_name = :s"
                            + " AND trigger_state IN ('ACQUIRED', 'BLOCKED') AND EXISTS (SELECT 1 FROM qrtz_fired_triggers f"
                            + " WHERE f.sched_name = qrtz_triggers.sched_name AND f.trigger_name = qrtz_triggers.trigger_name"
                            + " AND f.trigger_group = qrtz_triggers.trigger_group AND f.instance_name = :i"
                            + " AND f.state = 'ACQUIRED')")
                    .bind("s", schedulerName).bind("i", instanceId).execute();
            return h.createUpdate("DELETE FROM qrtz_fired_triggers WHERE sched_name = :s AND instance_name = :i"
                            + " AND state = 'ACQUIRED'")
                    .bind("s", schedulerName).bind("i", instanceId).execute();
        });
    }
}
