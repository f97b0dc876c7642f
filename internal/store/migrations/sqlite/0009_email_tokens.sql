-- Verified addresses and the one-time tokens of the email flows (verification, password reset,
-- email change and its report). email_verified_at is NULL until the address is confirmed.
-- A token is stored only as hashes: token_hash is SHA-256 of the link's 256-bit secret, and
-- code_hash SHA-256 of the row's id and its short code. email is the address the token is
-- bound to (the user's address, or the new one of a change); used_at is set by its one use.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;

CREATE TABLE email_tokens (
    id            TEXT NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL
                  CHECK (purpose IN ('verify_email', 'password_reset', 'email_change', 'email_change_report')),
    email         TEXT NOT NULL,
    token_hash    BLOB NOT NULL,
    code_hash     BLOB NOT NULL,
    code_attempts INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    CONSTRAINT email_tokens_token_hash_key UNIQUE (token_hash)
) STRICT;
-- Superseding a user's tokens of one purpose, and the cascade from users.
CREATE INDEX email_tokens_user_purpose_idx ON email_tokens (user_id, purpose);
-- A code is looked up by its address and purpose.
CREATE INDEX email_tokens_email_purpose_idx ON email_tokens (email, purpose, created_at DESC);
