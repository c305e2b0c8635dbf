package dev.intake.app.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one check of a mailbox's folders against the records.
 *
 * @param since      messages received (INTERNALDATE) from then on were checked
 * @param checked    how many messages the folders held in that window
 * @param unrecorded those of them that no record accounts for
 * @param error      why the check could not be finished, in words; the earlier findings are then kept
 */
public record Reconciliation(String mailboxId, Instant checkedAt, Instant since, int checked,
        List<UnrecordedMessage> unrecorded, Optional<String> error) {

    public Reconciliation {
        unrecorded = List.copyOf(unrecorded);
    }
}
