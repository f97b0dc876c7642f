-- Every credential change (a password change; later a reset or an email change) gives the user
-- a new random security stamp, and a write that must not land after such a change (a new
-- session, a second password change) names the stamp it read. SQLite's ADD COLUMN allows only
-- a constant default, so existing users get '' for a moment and then a random stamp each.
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
UPDATE users SET security_stamp = lower(hex(randomblob(16)));
