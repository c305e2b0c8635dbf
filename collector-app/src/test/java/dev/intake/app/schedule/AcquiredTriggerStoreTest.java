package dev.intake.app.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a node's scheduler leaves when it is halted while waiting for a trigger it acquired (a stop racing the
 * acquisition): the trigger ACQUIRED and a fired row of the stopped node in state ACQUIRED. Released, the trigger is
 * WAITING again for the other nodes; another node's acquired and executing triggers are left alone. H2 and PostgreSQL.
 */
class AcquiredTriggerStoreTest {

    AcquiredTriggerStore store;
    StoreTestBed bed;

    @BeforeEach
    void open(StoreTestBed bed) {
        this.bed = bed;
        store = new AcquiredTriggerStore(bed.jdbi(), CollectionScheduler.SCHEDULER_NAME);
        bed.jdbi().useHandle(h -> {
            trigger(h, "m1", "ACQUIRED");
            fired(h, "e1", "m1", "node-a", "ACQUIRED");
            trigger(h, "m2", "ACQUIRED");
            fired(h, "e2", "m2", "node-b", "ACQUIRED");
            trigger(h, "m3", "BLOCKED");
            fired(h, "e3", "m3", "node-a", "EXECUTING");
            trigger(h, "m4", "WAITING");
        });
    }

    @OnEachDatabase
    void theStoppedNodesAcquiredTriggersAreWaitingAgainAndNothingElseChanges() {
        assertThat(store.releaseAcquiredBy("node-a")).isOne();

        assertThat(states()).containsExactly("m1=WAITING", "m2=ACQUIRED", "m3=BLOCKED", "m4=WAITING");
        assertThat(firedRows()).containsExactly("e2=node-b/ACQUIRED", "e3=node-a/EXECUTING");
        assertThat(store.releaseAcquiredBy("node-a")).as("a second release finds nothing").isZero();
    }

    private List<String> states() {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT trigger_name, trigger_state FROM qrtz_triggers ORDER BY 1")
                .map((rs, ctx) -> rs.getString(1) + "=" + rs.getString(2)).list());
    }

    private List<String> firedRows() {
        return bed.jdbi().withHandle(h -> h.createQuery(
                        "SELECT entry_id, instance_name, state FROM qrtz_fired_triggers ORDER BY 1")
                .map((rs, ctx) -> rs.getString(1) + "=" + rs.getString(2) + "/" + rs.getString(3)).list());
    }

    private static void trigger(Handle h, String mailbox, String state) {
        h.createUpdate("INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable,"
                        + " is_nonconcurrent, is_update_data, requests_recovery) VALUES ('intake', :m, 'collect', 'x', FALSE,"
                        + " TRUE, FALSE, TRUE)")
                .bind("m", mailbox).execute();
        h.createUpdate("INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group,"
                        + " next_fire_time, priority, trigger_state, trigger_type, start_time) VALUES ('intake', :m, 'collect',"
                        + " :m, 'collect', 1000, 5, :s, 'SIMPLE', 0)")
                .bind("m", mailbox).bind("s", state).execute();
    }

    private static void fired(Handle h, String entry, String mailbox, String node, String state) {
        h.createUpdate("INSERT INTO qrtz_fired_triggers (sched_name, entry_id, trigger_name, trigger_group, instance_name,"
                        + " fired_time, sched_time, priority, state) VALUES ('intake', :e, :m, 'collect', :n, 1000, 1000, 5, :s)")
                .bind("e", entry).bind("m", mailbox).bind("n", node).bind("s", state).execute();
    }
}
