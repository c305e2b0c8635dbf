package dev.intake.app.ledger;

import java.util.Optional;

/**
 * Where collection stands in a folder.
 *
 * @param backlogUntilUid while present, UIDs up to it are only taken when they match the initial-sync rule
 */
public record FolderState(long uidValidity, long lastUid, Optional<Long> backlogUntilUid) {
}
