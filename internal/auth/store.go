package auth

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store is everything the service keeps. Implementations must be safe for concurrent use and
// must let the database, not a read before a write, enforce uniqueness.
type Store interface {
	UserStore
	SessionStore
	EmailStore
	// Ping returns nil when the database answers.
	Ping(ctx context.Context) error
}

// UserStore keeps users.
type UserStore interface {
	// CreateUser inserts u with a fresh SecurityStamp, which it sets in u. It returns
	// ErrEmailTaken if a user with u.Email exists; the unique index decides, so of two
	// concurrent calls for one email exactly one succeeds.
	CreateUser(ctx context.Context, u *User) error
	// FindUserByID returns ErrUserNotFound if there is no such user.
	FindUserByID(ctx context.Context, id uuid.UUID) (*User, error)
	// FindUserByEmail looks up a normalised email. It returns ErrUserNotFound if none matches.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// UpdateUser saves u's names and UpdatedAt, and nothing else: a profile edit must never
	// write back a password hash read before a concurrent password change. It returns
	// ErrUserNotFound if the user is gone.
	UpdateUser(ctx context.Context, u *User) error
	// MarkFirstSignIn sets the user's FirstSignedInAt to at unless it is set already (then it
	// changes nothing and returns nil). It returns ErrUserNotFound if the user is gone.
	MarkFirstSignIn(ctx context.Context, userID uuid.UUID, at time.Time) error
	// UpdatePasswordHash replaces the hash only if it is still oldHash (a rehash at sign-in),
	// and leaves the SecurityStamp as it is: the password is the same. It returns
	// ErrCredentialsChanged if the password changed meanwhile, ErrUserNotFound if the user is
	// gone.
	UpdatePasswordHash(ctx context.Context, userID uuid.UUID, oldHash, newHash string) error
	// ChangePassword saves a new password hash and a new SecurityStamp and, in the same
	// transaction, deletes every session of the user but keepSession; but only if the user's
	// stamp is still stamp, the one read when the current password was verified, so of
	// concurrent changes from one stamp exactly one succeeds. It returns ErrCredentialsChanged,
	// and changes nothing, if the stamp differs, ErrUserNotFound if the user is gone.
	ChangePassword(ctx context.Context, userID uuid.UUID, stamp, hash string, now time.Time, keepSession uuid.UUID) error
	// DeleteUser deletes the user, but only if its SecurityStamp is still stamp, the one read
	// when the deletion was confirmed; sessions, refresh tokens and whatever other domains keep
	// of the user (connected mailboxes) go with it by ON DELETE CASCADE. It returns
	// ErrCredentialsChanged, and deletes nothing, if the stamp differs, ErrUserNotFound if
	// there is no such user.
	DeleteUser(ctx context.Context, id uuid.UUID, stamp string) error
}

// SessionStore keeps sessions and their refresh tokens.
type SessionStore interface {
	// CreateSession inserts s and its first refresh token in one transaction, but only if the
	// user's SecurityStamp is still stamp, the one the sign-in read with the credential it
	// verified: a credential change that lands while a sign-in is hashing must not leave that
	// sign-in a session. It returns ErrCredentialsChanged if the stamp differs,
	// ErrUserNotFound if the user is gone.
	CreateSession(ctx context.Context, s *Session, first *RefreshToken, stamp string) error
	// CreateSessionBounded is CreateSession that, in the same transaction, ends the user's
	// least recently used sessions beyond the newest maxSessions (0: no bound) and returns
	// how many it ended. Concurrent sign-ins of one user never leave more than maxSessions.
	CreateSessionBounded(ctx context.Context, s *Session, first *RefreshToken, stamp string, maxSessions int) (int, error)
	// FindSession returns ErrSessionNotFound if there is no such session; an expired session
	// is still returned: the caller compares ExpiresAt.
	FindSession(ctx context.Context, id uuid.UUID) (*Session, error)
	// FindSessionUser returns the user of session id and when the session expires, in one
	// round trip (every authenticated request reads both). It returns ErrSessionNotFound if
	// there is no such session; an expired session is still found.
	FindSessionUser(ctx context.Context, id uuid.UUID) (*User, time.Time, error)
	// ListSessions returns the user's sessions that expire after now, newest use first.
	ListSessions(ctx context.Context, userID uuid.UUID, now time.Time) ([]Session, error)
	// DeleteSession deletes one of the user's sessions and its refresh tokens. It returns
	// ErrSessionNotFound if the user has no such session.
	DeleteSession(ctx context.Context, userID, sessionID uuid.UUID) error
	// DeleteOtherSessions deletes every session of the user but keep and returns how many.
	DeleteOtherSessions(ctx context.Context, userID, keep uuid.UUID) (int, error)
	// FindRefreshToken returns ErrRefreshTokenNotFound if no token has this selector.
	FindRefreshToken(ctx context.Context, selector string) (*RefreshToken, error)
	// RotateRefreshToken marks the token with oldSelector rotated at now, inserts next and
	// moves its session's LastUsedAt (to now), IP, UserAgent and ExpiresAt (to next.ExpiresAt),
	// all in one transaction. It returns false, and changes nothing, if the old token was
	// already rotated or is gone (its session revoked meanwhile included): of two concurrent
	// rotations exactly one returns true. It must not deadlock against DeleteSession,
	// DeleteOtherSessions, ChangePassword or DeleteUser running at the same time.
	RotateRefreshToken(ctx context.Context, oldSelector string, next *RefreshToken, now time.Time, ip, userAgent string) (bool, error)
	// DeleteExpired deletes sessions that expired before now, and refresh tokens (rotated
	// ones included) that expired before now, and returns how many sessions it deleted.
	DeleteExpired(ctx context.Context, now time.Time) (int, error)
}
