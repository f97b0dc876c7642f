package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatehouse/gatehouse/internal/password"
)

// UnusablePasswordHash is stored for a user who has no password yet: imported without a hash,
// or with one in a format Gatehouse cannot verify. No password matches it, so such a user signs
// in only once a password is set (a reset, or an operator's `gatehouse users set-password`).
// The "!" prefix is what Django and passlib use for the same purpose; it is no hash format.
const UnusablePasswordHash = "!"

// Unusable reports whether hash is UnusablePasswordHash (or any hash marked unusable by "!").
func Unusable(hash string) bool { return strings.HasPrefix(hash, "!") }

// TruncatingVerifier is the optional Hasher method for hashes imported from a library that
// truncated passwords to 72 bytes without saying so (passlib's bcrypt): VerifyTruncated
// compares pw as that library did. internal/password's Bcrypt implements it.
type TruncatingVerifier interface {
	VerifyTruncated(hash, pw string) (bool, error)
}

// verifyLogin checks a sign-in's password. A password over MaxPasswordBytes matches an
// imported truncating hash by its first 72 bytes, which is all the old system ever checked:
// then truncated is true, and the caller must replace the hash at once, so that the long
// password signs in this one time only (see Login).
func (s *Service) verifyLogin(ctx context.Context, hash, pw string) (ok, truncated bool, err error) {
	tv, can := s.hasher.(TruncatingVerifier)
	// password.Truncating is true for $2b$ and $2y$: Gatehouse writes $2a$, so such a hash in
	// the store was imported from passlib (or another truncating library).
	if !can || len(pw) <= MaxPasswordBytes || !password.Truncating(hash) {
		ok, err = s.verify(ctx, hash, pw)
		return ok, false, err
	}
	if slotErr := s.withSlot(ctx, func() { ok, err = tv.VerifyTruncated(hash, pw) }); slotErr != nil {
		return false, false, slotErr
	}
	return ok, ok, err
}

// retireTruncated replaces an imported truncating hash, just matched by a password over 72
// bytes, with a hash of the first 72 bytes at the current cost. From then on the long password
// is refused, as Gatehouse refuses every password over 72 bytes, and the user must choose a
// new one; the account stays no weaker than it was, since those 72 bytes were all the old
// hash checked. It returns an error, and the sign-in fails, if the hash could not be replaced:
// a second truncated sign-in must never succeed.
func (s *Service) retireTruncated(ctx context.Context, u *User, pw string) error {
	hash, err := s.hash(ctx, pw[:MaxPasswordBytes])
	if err == nil {
		err = s.store.UpdatePasswordHash(ctx, u.ID, u.PasswordHash, hash)
	}
	if err != nil {
		return fmt.Errorf("retire truncated password hash: %w", err)
	}
	s.log.InfoContext(ctx, "signed in once with a password over 72 bytes that the imported hash truncated: "+
		"a new password is required", "user_id", u.ID)
	return nil
}
