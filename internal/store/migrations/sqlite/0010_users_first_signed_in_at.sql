-- When the account first signed in with its password. NULL until then: the sign-in that finds
-- it NULL sets it and sends no new-device notice (nobody is alarmed by their very first
-- sign-in, e.g. right after registering); a later sign-in from a client without the account's
-- device token sends one.
ALTER TABLE users ADD COLUMN first_signed_in_at TEXT;
