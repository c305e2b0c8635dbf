package dev.intake.app.ledger;

import dev.intake.app.mail.RefusalReason;
import java.time.Instant;
import java.util.Optional;

/** A processed-message record, as shown to the admin (refusals with their reasons, duplicates...). */
public record ProcessedMessage(
        long id,
        MessageKey key,
        Optional<String> messageId,
        Outcome outcome,
        Optional<RefusalReason> reason,
        Optional<String> detail,
        String subject,
        String sender,
        Optional<Long> ticketId,
        boolean rawKept,
        boolean postActionPending,
        Instant processedAt) {
}
