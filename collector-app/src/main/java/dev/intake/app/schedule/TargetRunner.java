package dev.intake.app.schedule;

import java.util.function.BooleanSupplier;

/** One run of a delivery target's outbox, as the scheduler starts it. */
@FunctionalInterface
public interface TargetRunner {

    TargetRunner NONE = (target, stop) -> {
    };

    /** @param stopRequested true once the node is shutting down: finish the item in hand and return */
    void deliver(String target, BooleanSupplier stopRequested);
}
