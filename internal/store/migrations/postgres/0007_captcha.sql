-- The CAPTCHA (issue 8). server_secrets holds secrets the instances share and generate on
-- first start, sealed under GATEHOUSE_SECRET_KEY (internal/secret) and bound to their name:
-- the key that signs proof-of-work challenges is the first. used_captchas remembers every
-- solved challenge until it expires, so each solution is accepted once on every instance
-- that shares the database (Redis does this instead when GATEHOUSE_REDIS_URL is set).
CREATE TABLE server_secrets (
    name       text        PRIMARY KEY,
    value      bytea       NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE used_captchas (
    challenge  text        PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
-- DeleteExpiredCaptchas.
CREATE INDEX used_captchas_expires_at_idx ON used_captchas (expires_at);
