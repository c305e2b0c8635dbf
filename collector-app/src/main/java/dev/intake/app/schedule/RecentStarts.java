package dev.intake.app.schedule;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node last started a scheduled run of each mailbox. A repeating trigger that fired later than its
 * interval still owes the slots it missed and fires them back to back; a run within half an interval of the last
 * one finds nothing new, so those fires are skipped instead of taking a thread from a mailbox still waiting.
 */
final class RecentStarts {

    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();

    /** Records a start and returns true, unless the mailbox started less than {@code gap} ago on this node. */
    boolean mayStart(String mailboxId, Duration gap) {
        long now = System.nanoTime();
        boolean[] allowed = {false};
        startedAt.compute(mailboxId, (id, last) -> {
            if (last == null || now - last >= gap.toNanos()) {
                allowed[0] = true;
                return now;
            }
            return last;
        });
        return allowed[0];
    }
}
