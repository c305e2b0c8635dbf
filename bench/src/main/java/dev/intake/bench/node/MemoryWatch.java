package dev.intake.bench.node;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap's high-water marks, from every garbage collection as it happens: the heap is fullest just before a
 * collection (the peak used), and what survives a collection of the whole heap is what the program really holds
 * (the peak live set). Sampling
 * from outside would miss both.
 */
final class MemoryWatch {

    /** HotSpot's name for a collection of the whole heap (a young one is "end of minor GC"). */
    private static final String MAJOR = "end of major GC";

    private final Set<String> heapPools = new HashSet<>();
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();

    private MemoryWatch() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
    }

    static MemoryWatch install() {
        MemoryWatch watch = new MemoryWatch();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(watch::onNotification, null, null);
        }
        return watch;
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        var notification = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        var info = notification.getGcInfo();
        peakUsed.accumulateAndGet(heapSum(info.getMemoryUsageBeforeGc()), Math::max);
        // Only a collection of the whole heap tells what is live: after a young one, the old generation still holds
        // whatever died there since the last full collection, and the figure was at times the whole heap.
        if (MAJOR.equals(notification.getGcAction())) {
            peakLive.accumulateAndGet(heapSum(info.getMemoryUsageAfterGc()), Math::max);
        }
        collections.incrementAndGet();
    }

    private long heapSum(Map<String, MemoryUsage> usage) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : usage.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                sum += e.getValue().getUsed();
            }
        }
        return sum;
    }

    /** The figures so far; the heap in use now counts too, in case it grew since the last collection. */
    Map<String, Object> snapshot() {
        long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return Map.of(
                "peakUsed", Math.max(peakUsed.get(), now),
                "peakLive", peakLive.get(),
                "usedNow", now,
                "max", Runtime.getRuntime().maxMemory(),
                "collections", collections.get());
    }
}
