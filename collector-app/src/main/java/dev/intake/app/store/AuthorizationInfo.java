package dev.intake.app.store;

import java.time.Instant;
import java.util.Optional;

/** Who authorized a mailbox and when; the grant itself stays sealed. */
public record AuthorizationInfo(String mailboxId, String provider, String account, Instant authorizedAt,
        Optional<Instant> refreshedAt, String keyId) {
}
