package dev.intake.app.idle;

import java.time.Instant;
import java.util.Optional;

/**
 * Who idles for a mailbox and how it is going, as stored for every node to read.
 *
 * @param node      the node holding the lease ({@code NodeIdentity})
 * @param expiresAt the lease lapses then unless its node renews it; another node may take it over afterwards
 * @param state     what the idler is doing now
 * @param detail    why, in words: the fallback's reason, the last connection failure
 * @param since     when the state began: idling since, falling back since
 */
public record IdleLease(String mailboxId, String node, Instant expiresAt, IdleState state, Optional<String> detail,
        Instant since) {

    /** True when no node renewed the lease in time: its node is gone or cut off. */
    public boolean lapsed(Instant now) {
        return expiresAt.isBefore(now);
    }
}
