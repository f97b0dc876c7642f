CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL,
    first_name    text        NOT NULL,
    last_name     text        NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE sessions (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent   text        NOT NULL,
    ip           text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
-- ListSessions, DeleteOtherSessions and the cascade from users.
CREATE INDEX sessions_user_id_last_used_at_idx ON sessions (user_id, last_used_at DESC);
-- DeleteExpired.
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE refresh_tokens (
    selector       text        PRIMARY KEY,
    session_id     uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    verifier_hash  bytea       NOT NULL,
    successor_salt bytea       NOT NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    rotated_at     timestamptz
);
-- The cascade from sessions.
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

CREATE TABLE email_accounts (
    id            uuid        PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email_address text        NOT NULL,
    provider      text        NOT NULL,
    display_name  text        NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- Also the index for every query by user_id and for the cascade from users.
    CONSTRAINT email_accounts_user_id_email_address_key UNIQUE (user_id, email_address)
);

CREATE TABLE signing_keys (
    id         text        PRIMARY KEY,
    seed       bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    retired_at timestamptz
);
