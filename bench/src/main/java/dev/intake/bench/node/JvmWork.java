package dev.intake.bench.node;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Work the JVM itself did for the node, as its management beans count it: milliseconds its JIT compilers spent
 * compiling (summed over the compiler threads) and milliseconds its garbage collectors report. Both run on the same
 * cores as the collection, so a run's figures say how much of the node's CPU went to them.
 */
record JvmWork(long jitMillis, long gcMillis) {

    static JvmWork now() {
        long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long gc = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, collector.getCollectionTime());
        }
        return new JvmWork(jit, gc);
    }

    JvmWork minus(JvmWork earlier) {
        return new JvmWork(jitMillis - earlier.jitMillis, gcMillis - earlier.gcMillis);
    }
}
