package dev.intake.config;

import java.time.Duration;

/**
 * Operational knobs.
 *
 * @param staleAfter        a mailbox with no successful poll for longer is reported as stale
 * @param schedulerThreads  mailboxes collected at the same time on this node
 * @param reloadCheckEvery  how often the configuration and secret files are checked for changes
 * @param shutdownGrace     how long a stopping node waits for runs in hand to finish
 */
public record OperationsConfig(Duration staleAfter, int schedulerThreads, Duration reloadCheckEvery, Duration shutdownGrace) {
}
