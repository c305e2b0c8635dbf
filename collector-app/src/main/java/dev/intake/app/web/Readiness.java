package dev.intake.app.web;

import java.util.List;

/**
 * The readiness report. Stale mailboxes are reported but do not make the node unready: a node that cannot reach one
 * provider should still collect the others (and stay in the load balancer for the callback).
 */
public record Readiness(boolean ready, boolean database, boolean migrations, boolean scheduler, List<String> staleMailboxes) {
}
