package dev.intake.app.status;

import java.time.Instant;
import java.util.Optional;

/**
 * A mailbox as the admin sees it: configuration, stored state and health in one record, for the CLI, the web UI,
 * the JSON API and metrics alike.
 *
 * @param display  not authorized / active / needs re-authorization / failing / paused
 * @param stale    no successful poll for longer than {@code operations.stale-after} although it should be collected
 * @param unrecorded messages the last reconciliation found in the accepted or refused folder without a record
 * @param appOnly  opened with the application's own credentials ({@code auth: app}): no one authorizes it
 * @param lastTokenAt when the provider last issued an access token for it
 * @param collected  authorized, active and not paused: the schedule (and IDLE) collect it
 * @param idle       for a mailbox in {@code mode: idle}: which node idles and how that goes
 */
public record MailboxStatus(
        String id,
        String provider,
        String address,
        Optional<String> delegate,
        String display,
        Optional<String> account,
        Optional<Instant> authorizedAt,
        Optional<Instant> lastPollAt,
        Optional<Instant> lastSuccessAt,
        Optional<String> lastError,
        Optional<Instant> lastErrorAt,
        int consecutiveFailures,
        boolean stale,
        Optional<String> stateReason,
        int unrecorded,
        boolean appOnly,
        Optional<Instant> lastTokenAt,
        boolean collected,
        Optional<IdleStatus> idle) {

    MailboxStatus withIdle(Optional<IdleStatus> value) {
        return new MailboxStatus(id, provider, address, delegate, display, account, authorizedAt, lastPollAt, lastSuccessAt,
                lastError, lastErrorAt, consecutiveFailures, stale, stateReason, unrecorded, appOnly, lastTokenAt, collected,
                value);
    }

    /** Authorized and not refused by the provider: it can be collected (whether or not it is paused). */
    public boolean authorized() {
        return !display.equals("not authorized") && !display.equals("needs re-authorization");
    }
}
