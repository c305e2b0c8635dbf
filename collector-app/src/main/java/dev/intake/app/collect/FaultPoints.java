package dev.intake.app.collect;

/**
 * Points in a run where a fault-injection test makes the process "die" (by throwing), to prove that nothing is lost
 * or duplicated whatever the moment of a crash. Production uses {@link #NONE}.
 */
public interface FaultPoints {

    FaultPoints NONE = new FaultPoints() {
    };

    /** After a batch's outcomes are committed, before their server-side post-actions. */
    default void beforePostActions() {
    }
}
