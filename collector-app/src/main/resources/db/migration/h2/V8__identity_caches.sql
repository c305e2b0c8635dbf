-- H2 hands out identity values from a cache it writes back, with a commit of its own, whenever the cache runs out:
-- with H2's 32, the rows every message adds (its record, its event, its attachments) cost a commit every few
-- messages, about a twentieth of collecting's CPU in the benchmark. These ids are internal; a crash skips at most
-- a cache's worth of them. Ticket ids are the ticket numbers people see, so theirs keeps H2's default.
ALTER TABLE processed_message ALTER COLUMN id SET CACHE 1024;
ALTER TABLE integration_event ALTER COLUMN id SET CACHE 1024;
ALTER TABLE attachment ALTER COLUMN id SET CACHE 1024;
ALTER TABLE followup ALTER COLUMN id SET CACHE 1024;
ALTER TABLE delivery_item ALTER COLUMN id SET CACHE 1024;
ALTER TABLE poll_run ALTER COLUMN id SET CACHE 1024;
