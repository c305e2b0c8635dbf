package dev.intake.config;

import java.time.Duration;

/**
 * Operational knobs.
 *
 * @param staleAfter        a mailbox with no successful poll for longer is reported as stale
 * @param schedulerThreads  mailboxes collected at the same time on this node
 * @param reloadCheckEvery  how often the configuration and secret files are checked for changes
 * @param shutdownGrace     how long a stopping node waits for runs in hand to finish
 * @param reconcileWindow   the mail received this recently in the folders Intake moves mail to is compared with the
 *                          records, at start and once a day
 * @param historyRetention  how long the record of each collection run (the mailbox page's recent runs) is kept
 */
public record OperationsConfig(Duration staleAfter, int schedulerThreads, Duration reloadCheckEvery, Duration shutdownGrace,
        Duration reconcileWindow, Duration historyRetention) {
}
