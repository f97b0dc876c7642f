-- The sweep (DeleteExpired) deletes refresh tokens, rotated ones included, by expiry.
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);
