package dev.intake.app.ledger;

/** Where a message was collected from: unique for as long as the folder keeps its UIDVALIDITY. */
public record MessageKey(String mailboxId, String folder, long uidValidity, long uid) {
}
