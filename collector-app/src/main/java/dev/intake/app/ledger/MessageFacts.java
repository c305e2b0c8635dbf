package dev.intake.app.ledger;

import java.util.Optional;

/**
 * What the processed-message record keeps of every message, whatever its outcome.
 *
 * @param fingerprint SHA-256 of the raw message: identifies mail without a Message-ID (absent when the body was
 *                    never downloaded, as for oversize mail)
 */
public record MessageFacts(Optional<String> messageId, Optional<String> fingerprint, String subject, String sender) {
}
