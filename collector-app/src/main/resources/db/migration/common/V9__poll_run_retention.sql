-- operations.history-retention deletes the runs started before a cut-off every 15 minutes; without this index each
-- pass would read the whole table, which grows by one row per mailbox per poll.
CREATE INDEX poll_run_started ON poll_run (started_at);
