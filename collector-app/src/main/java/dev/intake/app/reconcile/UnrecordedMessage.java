package dev.intake.app.reconcile;

import java.time.Instant;
import java.util.Optional;

/**
 * A message found in a folder Intake moves mail to (accepted or refused) that no processed-message record accounts
 * for: it may be missing from the helpdesk.
 *
 * @param folder the folder as configured (e.g. {@code Intake/Accepted}); {@code uid} is valid with {@code uidValidity}
 */
public record UnrecordedMessage(String mailboxId, String folder, long uidValidity, long uid, Optional<String> messageId,
        String subject, String sender, Optional<Instant> receivedAt, long size) {
}
