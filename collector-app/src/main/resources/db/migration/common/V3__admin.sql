-- The admin's browser: sessions, sign-in throttling and the initial admin. In the database (not in a
-- node's memory) so that any node of a cluster serves a signed-in admin and throttles the same guesser.

-- A signed-in admin. Only the SHA-256 of the session id is stored: a database reader cannot sign in
-- with what it finds here.
CREATE TABLE admin_session (
    id_hash        CHAR(64)      NOT NULL PRIMARY KEY,
    username       VARCHAR(64)   NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX admin_session_expiry ON admin_session (expires_at);

-- Failed sign-ins per client address and per user name (the key is hashed, so its length is fixed).
CREATE TABLE admin_sign_in_failure (
    key_hash         CHAR(64)      NOT NULL PRIMARY KEY,
    failures         INTEGER       NOT NULL,
    last_failure_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    blocked_until    TIMESTAMP WITH TIME ZONE
);

-- The admin created at the first start when collector.yaml lists none; only the bcrypt hash of its
-- random password is kept. It signs in only while collector.yaml lists no admins.
CREATE TABLE admin_initial (
    username       VARCHAR(64)   NOT NULL PRIMARY KEY,
    password_hash  VARCHAR(100)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
