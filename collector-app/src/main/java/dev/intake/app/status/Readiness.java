package dev.intake.app.status;

import java.util.List;

/**
 * The readiness report. Stale mailboxes are reported (with a warning) but do not make the node unready: a node that
 * cannot reach one provider should still collect the others and serve the callback.
 *
 * @param status         "ready", "degraded" (ready, but some mailbox is stale or a provider needs attention) or "unready"
 * @param staleMailboxes mailboxes with no successful poll for longer than operations.stale-after
 * @param warnings       provider secret warnings and stale mailboxes, in words
 */
public record Readiness(String status, boolean ready, boolean database, boolean migrations, boolean scheduler,
        List<String> staleMailboxes, List<String> warnings) {
}
