-- A run asks for its folder's pending post-actions when it starts and after every few batches. With the index on
-- (mailbox_id, post_action_pending) alone, H2 took the unique (mailbox_id, folder, uid_validity, uid) index instead
-- and read every record the folder ever had: a cost that grew with every message collected. This index answers the
-- question with the pending records alone, in UID order.
DROP INDEX processed_message_pending;
CREATE INDEX processed_message_pending ON processed_message (mailbox_id, folder, uid_validity, post_action_pending, uid);
