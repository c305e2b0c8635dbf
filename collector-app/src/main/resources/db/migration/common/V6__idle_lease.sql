-- IMAP IDLE on a cluster: which node idles for a mailbox in mode: idle, and how that is going.
--
-- A lease, not a row lock: a node holds a mailbox's lease by renewing expires_at every few seconds;
-- another node takes it over only once it has expired. A killed node (kill -9, a lost host) stops
-- renewing and its leases lapse within the lease time, whatever happened to its connections; a held
-- row lock would instead keep one database connection open per idling mailbox (hundreds), and would
-- outlive a hung but connected node. The same SQL works on H2 and PostgreSQL.
--
-- state: starting | idling | fallback (the server lacks IDLE; the node polls) | reconnecting;
-- detail says why, in words, for the mailbox page and the status API; since is when the state began.
CREATE TABLE idle_lease (
    mailbox_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    node          VARCHAR(200)  NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    state         VARCHAR(32)   NOT NULL,
    detail        ${clob},
    since         TIMESTAMP WITH TIME ZONE NOT NULL
);
