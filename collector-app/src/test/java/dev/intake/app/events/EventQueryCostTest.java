package dev.intake.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.database.GrownDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An integration reading the event feed (and the numbering that precedes every read) costs the same after months of
 * events as on the first day: on a feed of thousands of events, a page reads its own events and the numbering only
 * the unnumbered ones. On H2 with its own row counts, as in {@code LedgerQueryCostTest}.
 */
class EventQueryCostTest {

    static final int HISTORY = 5_000;
    static final long FEW = 60;

    // Months of numbered events, and two committed since the last read, not numbered yet.
    @RegisterExtension
    final GrownDatabase db = new GrownDatabase(bed -> bed.jdbi().useHandle(h -> {
        h.execute("INSERT INTO integration_event (seq, event_type, mailbox_id, ticket_id, occurred_at) SELECT "
                + "CASE WHEN X > ? THEN NULL ELSE X END, 'TICKET_CREATED', 'support', X, CURRENT_TIMESTAMP "
                + "FROM SYSTEM_RANGE(1, ?)", HISTORY - 2, HISTORY);
        h.execute("UPDATE integration_event_sequence SET last_seq = ? WHERE id = 1", HISTORY - 2);
    }));

    EventStore events;

    @BeforeEach
    void open() {
        events = new EventStore(db.bed().jdbi(), db.bed().clock());
    }

    @Test
    void aReaderOfTheFeedReadsItsPageAndTheNewEvents() {
        List<IntegrationEvent> page = events.after(HISTORY - 10, 50);

        assertThat(page).hasSize(10);
        db.assertEachQueryReadAtMost(FEW);
    }
}
