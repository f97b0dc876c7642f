// Package auth holds Gatehouse's identity domain: users, their credentials and sessions, and
// the rules for registering, signing in and staying signed in. It knows nothing of HTTP or SQL
// (the store and the transport are adapters around it), nor of what users keep beside their
// identity: connected mailboxes live in internal/mailbox.
package auth

import (
	"time"

	"github.com/google/uuid"
)

// User is a person with an account. Email is stored normalised (trimmed, lower-cased), so it
// is unique case-insensitively.
type User struct {
	ID           uuid.UUID
	Email        string
	FirstName    string
	LastName     string
	PasswordHash string
	// SecurityStamp is the user's credential version: an opaque value the store makes anew
	// at every credential change (a password change; later a reset or an email change) and
	// at no other write, not even when a sign-in rehashes the same password. A write that
	// must not land after such a change (a new session, a second password change) names the
	// stamp read with the credential it verified, and the store refuses it with
	// ErrCredentialsChanged if the stamp moved meanwhile. It guards passkeys, MFA and resets
	// as well as passwords, since it needs no hash to compare. It is random rather than a
	// counter so that it never repeats, not even in a database restored from a backup, and
	// tells nothing (such as how often a password changed) if a later feature binds a token
	// to it.
	SecurityStamp string
	// EmailVerifiedAt is when Email was confirmed (a link or code from a mail to it, or a
	// reset through it); nil while it is not.
	EmailVerifiedAt *time.Time
	// FirstSignedInAt is when the account first signed in with its password; nil until then.
	// Only a sign-in after it can be from a device new to the account, and be told of.
	FirstSignedInAt *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Session is one signed-in device. It lives as long as its newest refresh token; revoking a
// session deletes it, and with it every refresh token it ever had.
type Session struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
}

// RefreshToken is the stored half of an opaque refresh token: the public selector that finds
// it and a hash of the secret verifier. The plaintext is never stored.
type RefreshToken struct {
	Selector     string
	SessionID    uuid.UUID
	VerifierHash []byte
	// SuccessorSalt is random and stored with the token. The successor's secret is derived
	// from the presented verifier and this salt, so two tabs racing to refresh get the same
	// successor, yet an old token leaked without the database cannot be walked forward.
	SuccessorSalt []byte
	CreatedAt     time.Time
	ExpiresAt     time.Time
	// RotatedAt is set once the token has been exchanged for its successor; presenting it
	// again after the grace window is reuse.
	RotatedAt *time.Time
}

// Principal is who an authenticated request acts for: the user and the session its access
// token was issued to.
type Principal struct {
	UserID    uuid.UUID
	SessionID uuid.UUID
	// user is the user as Authenticate read it with the session, in the same query, so that
	// Me within the same request costs no second round trip; nil for a Principal made
	// elsewhere, and then Me reads it.
	user *User
}
