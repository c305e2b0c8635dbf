package dev.intake.app.ledger;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the admin's pages read of the ledger: a mailbox's recent records and its counts by outcome. */
public interface LedgerQueries {

    /** The newest records of a mailbox, optionally of one outcome. */
    List<ProcessedMessage> processed(String mailboxId, Optional<Outcome> outcome, int limit);

    /** Counts of a mailbox's records by outcome. */
    Map<Outcome, Integer> outcomeCounts(String mailboxId);
}
