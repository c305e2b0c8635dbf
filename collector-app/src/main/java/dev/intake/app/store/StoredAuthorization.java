package dev.intake.app.store;

import dev.intake.provider.Grant;
import java.time.Instant;
import java.util.Optional;

/**
 * A mailbox's authorization, opened.
 *
 * @param version increases with every write; a rotation writes only over the version it read
 */
public record StoredAuthorization(
        String mailboxId,
        String provider,
        String account,
        Grant grant,
        String keyId,
        long version,
        Instant authorizedAt,
        Optional<Instant> refreshedAt) {
}
