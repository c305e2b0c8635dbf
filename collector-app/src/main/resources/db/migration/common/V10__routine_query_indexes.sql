-- A run asks for its folder's pending post-actions when it starts and after every few batches. With the index on
-- (mailbox_id, post_action_pending) alone, H2 took the unique (mailbox_id, folder, uid_validity, uid) index instead
-- and read every record the folder ever had: a cost that grew with every message collected. This index answers the
-- question with the pending records alone, in UID order.
DROP INDEX processed_message_pending;
CREATE INDEX processed_message_pending ON processed_message (mailbox_id, folder, uid_validity, post_action_pending, uid);

-- Every health check and metrics scrape asks each target's backlog: the undelivered items, counted by state. The
-- delivered ones, which the outbox keeps as the map to the helpdesk's tickets, were all read for it.
CREATE INDEX delivery_item_undelivered ON delivery_item (state, target, created_at);

-- Reconciliation asks which of the fingerprints of the mail on the server were recorded, a few hundred at a time:
-- led by the fingerprint, the index finds each one; led by the mailbox, it was read whole. Collection's own
-- question (this mailbox, this fingerprint) is answered by either order.
DROP INDEX processed_message_fingerprint;
CREATE INDEX processed_message_fingerprint ON processed_message (fingerprint, mailbox_id);

-- The API's tickets since a moment (an integration's poll), of every mailbox or of one: without an index on the date,
-- the list and its total read every ticket (of the mailbox).
CREATE INDEX ticket_date ON ticket (ticket_date);
CREATE INDEX ticket_mailbox_date ON ticket (mailbox_id, ticket_date);

-- Every sign-in attempt forgets the failures of a day ago: without this index it read every counted key.
CREATE INDEX admin_sign_in_failure_last ON admin_sign_in_failure (last_failure_at);
