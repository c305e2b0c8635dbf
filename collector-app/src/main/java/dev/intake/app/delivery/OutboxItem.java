package dev.intake.app.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of the outbox: one item for one target.
 *
 * @param notification sent as a webhook's event notification ({@link Delivery.Notification}) rather than as a
 *                     helpdesk's ticket, followup or document
 * @param event        the integration event the item was written for
 * @param maybeSent    an earlier attempt may have reached the target
 */
public record OutboxItem(long id, String deliveryId, String target, ItemKind kind, boolean notification,
        Optional<String> mailboxId, Optional<Long> ticket, Optional<Long> followup, Optional<Long> attachment,
        Optional<Long> event, ItemState state, int attempts, Instant nextAttemptAt, boolean maybeSent,
        Optional<String> lastError, Optional<String> remoteId, Optional<String> remoteUrl, Instant createdAt,
        Optional<Instant> sendingSince, Optional<Instant> finishedAt) {
}
