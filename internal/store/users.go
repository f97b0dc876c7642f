package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

const userColumns = `id, email, first_name, last_name, password_hash, security_stamp, created_at, updated_at, email_verified_at,
	first_signed_in_at`

// newSecurityStamp returns a fresh security stamp: 128 random bits, in hex. The store makes
// every stamp itself, so no caller can forget to change it or reuse an old one.
func newSecurityStamp() string {
	b := make([]byte, 16)
	rand.Read(b) // crypto/rand's Read never fails; it crashes the program if it cannot
	return hex.EncodeToString(b)
}

// CreateUser inserts u with a fresh SecurityStamp, which it sets in u (a stamp u carried is
// not kept). It returns auth.ErrEmailTaken if a user with u.Email exists: the insert does
// nothing on a conflict over the unique email, so the database decides, and of concurrent
// calls for one email exactly one inserts a row.
func (s *Store) CreateUser(ctx context.Context, u *auth.User) error {
	return s.createUser(ctx, s.db, u)
}

// execer is a *sql.DB or a *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// createUser is CreateUser through ex, a transaction or the database.
func (s *Store) createUser(ctx context.Context, ex execer, u *auth.User) error {
	stamp := newSecurityStamp()
	res, err := ex.ExecContext(ctx, `
		INSERT INTO users (`+userColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (email) DO NOTHING`,
		u.ID, u.Email, u.FirstName, u.LastName, u.PasswordHash, stamp,
		timeValue{u.CreatedAt}, timeValue{u.UpdatedAt}, nullTimeValue{u.EmailVerifiedAt},
		nullTimeValue{u.FirstSignedInAt})
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	n, err := rowsAffected(res)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if n == 0 {
		return auth.ErrEmailTaken
	}
	u.SecurityStamp = stamp
	return nil
}

// FindUserByID returns auth.ErrUserNotFound if there is no such user.
func (s *Store) FindUserByID(ctx context.Context, id uuid.UUID) (*auth.User, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	u, err := scanUser(row)
	return u, wrap("find user", err)
}

// FindUserByEmail looks up a normalised email. It returns auth.ErrUserNotFound if none matches.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*auth.User, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email)
	u, err := scanUser(row)
	return u, wrap("find user by email", err)
}

// scanUser reads one user, turning no row into auth.ErrUserNotFound.
func scanUser(row scanner) (*auth.User, error) {
	var u auth.User
	err := row.Scan(&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.PasswordHash, &u.SecurityStamp,
		timeScan{&u.CreatedAt}, timeScan{&u.UpdatedAt}, nullTimeScan{&u.EmailVerifiedAt},
		nullTimeScan{&u.FirstSignedInAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, auth.ErrUserNotFound
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// UpdateUser saves u's names and UpdatedAt, and nothing else: the email never changes here,
// and u.PasswordHash and u.SecurityStamp may have been read before a concurrent password
// change, so writing them back would undo that change. It returns auth.ErrUserNotFound if the user is gone.
func (s *Store) UpdateUser(ctx context.Context, u *auth.User) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE users SET first_name = $1, last_name = $2, updated_at = $3
		WHERE id = $4`,
		u.FirstName, u.LastName, timeValue{u.UpdatedAt}, u.ID)
	return wrap("update user", expectOne(res, err, auth.ErrUserNotFound))
}

// MarkFirstSignIn sets the user's FirstSignedInAt to at if it is not set yet: of concurrent
// first sign-ins the earliest write stands, and a later call changes nothing. It returns
// auth.ErrUserNotFound if the user is gone; a user already marked is no error.
func (s *Store) MarkFirstSignIn(ctx context.Context, userID uuid.UUID, at time.Time) error {
	res, err := s.db.ExecContext(ctx,
		`UPDATE users SET first_signed_in_at = $1 WHERE id = $2 AND first_signed_in_at IS NULL`,
		timeValue{at}, userID)
	if err := expectOne(res, err, errNoRow); err != errNoRow {
		return wrap("mark first sign-in", err)
	}
	var exists bool
	err = s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, userID).Scan(&exists)
	if err == nil && !exists {
		err = auth.ErrUserNotFound
	}
	return wrap("mark first sign-in", err)
}

// UpdatePasswordHash replaces the user's hash with newHash only if it is still oldHash (a
// rehash at sign-in), so it never overwrites a password changed meanwhile: the condition is
// part of the UPDATE, which PostgreSQL re-checks on the newest row after waiting for a
// concurrent writer. It leaves the security stamp as it is, since the password is the same:
// the sign-in that rehashes still gets its session. It returns auth.ErrCredentialsChanged if
// the hash differs, and auth.ErrUserNotFound if the user is gone.
func (s *Store) UpdatePasswordHash(ctx context.Context, userID uuid.UUID, oldHash, newHash string) error {
	res, err := s.db.ExecContext(ctx,
		`UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`,
		newHash, userID, oldHash)
	if err := expectOne(res, err, errNoRow); err != errNoRow {
		return wrap("update password hash", err)
	}
	return wrap("update password hash", s.credentialsError(ctx, userID))
}

// errNoRow is what expectOne returns to a caller that explains a missed row itself.
var errNoRow = errors.New("no row matched")

// credentialsError explains why a write conditional on the user's password hash or security
// stamp matched no row: auth.ErrUserNotFound if the user is gone, else
// auth.ErrCredentialsChanged.
func (s *Store) credentialsError(ctx context.Context, userID uuid.UUID) error {
	var exists bool
	err := s.db.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, userID).Scan(&exists)
	switch {
	case err != nil:
		return err
	case !exists:
		return auth.ErrUserNotFound
	default:
		return auth.ErrCredentialsChanged
	}
}

// ChangePassword saves hash and a new security stamp and, in the same transaction, deletes
// every session of the user but keepSession, so a stolen session cannot outlive the password
// change; but only if the user's stamp is still stamp, the one read when the current password
// was verified. The condition is part of the UPDATE: PostgreSQL makes a concurrent change wait
// for the row and re-checks the condition on the row it committed, and SQLite runs write
// transactions one at a time, so of concurrent changes from one stamp exactly one succeeds. It
// returns auth.ErrCredentialsChanged, and changes nothing, if the stamp differs, and
// auth.ErrUserNotFound if the user is gone.
func (s *Store) ChangePassword(ctx context.Context, userID uuid.UUID, stamp, hash string, now time.Time, keepSession uuid.UUID) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE users SET password_hash = $1, security_stamp = $2, updated_at = $3
			WHERE id = $4 AND security_stamp = $5`,
			hash, newSecurityStamp(), timeValue{now}, userID, stamp)
		if err := expectOne(res, err, errNoRow); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			`DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, userID, keepSession)
		return err
	})
	if err == errNoRow {
		err = s.credentialsError(ctx, userID)
	}
	return wrap("change password", err)
}

// DeleteUser deletes the user, but only if its security stamp is still stamp, the one read
// when the deletion was confirmed (the condition is part of the DELETE, re-checked on the
// newest row as ChangePassword's is); sessions, refresh tokens and email accounts go with it
// by ON DELETE CASCADE. It returns auth.ErrCredentialsChanged, and deletes nothing, if the
// stamp differs, and auth.ErrUserNotFound if there is no such user.
func (s *Store) DeleteUser(ctx context.Context, id uuid.UUID, stamp string) error {
	res, err := s.exec(ctx, `DELETE FROM users WHERE id = $1 AND security_stamp = $2`, id, stamp)
	if err := expectOne(res, err, errNoRow); err != errNoRow {
		return wrap("delete user", err)
	}
	return wrap("delete user", s.credentialsError(ctx, id))
}

// expectOne returns err if the statement failed, and notFound if it changed no row.
func expectOne(res sql.Result, err error, notFound error) error {
	if err != nil {
		return err
	}
	n, err := rowsAffected(res)
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound
	}
	return nil
}

// ListUsers returns the users whose email contains emailContains (any, when empty) and that
// were created at or after since (any, when zero), oldest first, at most limit of them (all,
// when limit is 0).
func (s *Store) ListUsers(ctx context.Context, emailContains string, since time.Time, limit int) ([]auth.User, error) {
	q := `SELECT ` + userColumns + ` FROM users WHERE 1 = 1`
	var args []any
	if emailContains != "" {
		args = append(args, "%"+likeEscaper.Replace(strings.ToLower(emailContains))+"%")
		q += fmt.Sprintf(` AND email LIKE $%d ESCAPE '\'`, len(args))
	}
	if !since.IsZero() {
		args = append(args, timeValue{since})
		q += fmt.Sprintf(` AND created_at >= $%d`, len(args))
	}
	q += ` ORDER BY created_at, id`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	list := []auth.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		list = append(list, *u)
	}
	return list, wrap("list users", rows.Err())
}

// likeEscaper makes a string match itself in LIKE: emails may hold _ and %.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
