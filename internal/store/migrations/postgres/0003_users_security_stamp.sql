-- Every credential change (a password change; later a reset or an email change) gives the user
-- a new random security stamp, and a write that must not land after such a change (a new
-- session, a second password change) names the stamp it read. Existing users get a random
-- stamp each: a volatile default is evaluated once per row when the column is added, and is
-- then dropped, since the store always writes the stamp itself.
ALTER TABLE users ADD COLUMN security_stamp text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');
ALTER TABLE users ALTER COLUMN security_stamp DROP DEFAULT;
