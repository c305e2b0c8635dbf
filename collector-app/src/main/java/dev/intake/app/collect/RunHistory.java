package dev.intake.app.collect;

import java.util.List;

/** The record of a mailbox's collection runs, as the admin's mailbox page shows it. */
public interface RunHistory {

    /** The newest runs of a mailbox, newest first. */
    List<PollRun> recent(String mailboxId, int limit);
}
