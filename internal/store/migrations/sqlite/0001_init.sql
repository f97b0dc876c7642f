-- Times are TEXT in one sortable UTC format (2006-01-02T15:04:05.000000Z), so comparing and
-- ordering the text compares the times. STRICT makes SQLite reject a value of the wrong type.

CREATE TABLE users (
    id            TEXT NOT NULL PRIMARY KEY,
    email         TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
) STRICT;

CREATE TABLE sessions (
    id           TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent   TEXT NOT NULL,
    ip           TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
) STRICT;
-- ListSessions, DeleteOtherSessions and the cascade from users.
CREATE INDEX sessions_user_id_last_used_at_idx ON sessions (user_id, last_used_at DESC);
-- DeleteExpired.
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE refresh_tokens (
    selector       TEXT NOT NULL PRIMARY KEY,
    session_id     TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    verifier_hash  BLOB NOT NULL,
    successor_salt BLOB NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    rotated_at     TEXT
) STRICT;
-- The cascade from sessions.
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

CREATE TABLE email_accounts (
    id            TEXT NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email_address TEXT NOT NULL,
    provider      TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- Also the index for every query by user_id and for the cascade from users.
    CONSTRAINT email_accounts_user_id_email_address_key UNIQUE (user_id, email_address)
) STRICT;

CREATE TABLE signing_keys (
    id         TEXT NOT NULL PRIMARY KEY,
    seed       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
) STRICT;
