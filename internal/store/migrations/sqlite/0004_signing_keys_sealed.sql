-- Signing-key seeds are sealed from now on (internal/secret, under GATEHOUSE_SECRET_KEY), so a
-- copy of the database cannot mint tokens. Rows from before hold their seed in plaintext, marked
-- seed_sealed = 0, until the start that applied this migration seals them (Store.SealSecrets);
-- Gatehouse never uses an unsealed seed. SQL cannot encrypt, hence the flag rather than a rewrite.
ALTER TABLE signing_keys ADD COLUMN seed_sealed INTEGER NOT NULL DEFAULT 0 CHECK (seed_sealed IN (0, 1));
