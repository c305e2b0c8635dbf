package dev.intake.app.process;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for what other processes do: poll a condition, fail with what was awaited after a deadline. */
public final class Eventually {

    /** Generous: two cores shared by three Intake JVMs, the test JVM and whatever else CI runs. */
    static final Duration BOUND = Duration.ofSeconds(150);

    private Eventually() {
    }

    /** Polls {@code condition} every 100 ms until it holds; fails after {@link #BOUND}. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + BOUND.toSeconds() + "s waiting for " + what);
            }
            NodeProcess.pause(Duration.ofMillis(100));
        }
    }
}
