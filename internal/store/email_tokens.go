package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mail"
)

const emailTokenColumns = `id, user_id, purpose, email, token_hash, code_hash, code_attempts, created_at, expires_at, used_at`

// CreateUserWithToken implements auth.EmailStore: the user, its verification token and mail
// commit together or not at all.
func (s *Store) CreateUserWithToken(ctx context.Context, u *auth.User, t *auth.EmailToken, m *mail.Message) error {
	var stamp string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.createUser(ctx, tx, u); err != nil {
			return err
		}
		stamp = u.SecurityStamp
		if err := insertEmailToken(ctx, tx, t); err != nil {
			return err
		}
		return s.insertMail(ctx, tx, m, u.CreatedAt)
	})
	if err != nil {
		u.SecurityStamp = ""
		return wrap("create user", err)
	}
	u.SecurityStamp = stamp
	return nil
}

// IssueEmailToken implements auth.EmailStore.
func (s *Store) IssueEmailToken(ctx context.Context, t *auth.EmailToken, now time.Time, msgs ...*mail.Message) error {
	return wrap("issue email token", s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx,
			`DELETE FROM email_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
			t.UserID, string(t.Purpose)); err != nil {
			return err
		}
		if err := insertEmailToken(ctx, tx, t); err != nil {
			return err
		}
		for _, m := range msgs {
			if err := s.insertMail(ctx, tx, m, now); err != nil {
				return err
			}
		}
		return nil
	}))
}

func insertEmailToken(ctx context.Context, tx *sql.Tx, t *auth.EmailToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO email_tokens (`+emailTokenColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)`,
		t.ID, t.UserID, string(t.Purpose), t.Email, t.TokenHash, t.CodeHash, t.CodeAttempts,
		timeValue{t.CreatedAt}, timeValue{t.ExpiresAt})
	if isForeignKeyViolation(err) {
		return auth.ErrInvalidToken // the user is gone
	}
	return err
}

// FindEmailToken implements auth.EmailStore. The lookup is by the token's SHA-256, through
// the unique index: the secret itself is never compared, and its hash reveals nothing.
func (s *Store) FindEmailToken(ctx context.Context, purpose auth.Purpose, tokenHash []byte) (*auth.EmailToken, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+emailTokenColumns+` FROM email_tokens
		WHERE token_hash = $1 AND purpose = $2`, tokenHash, string(purpose))
	t, err := scanEmailToken(row)
	return t, wrap("find email token", err)
}

// FindEmailTokenByAddress implements auth.EmailStore.
func (s *Store) FindEmailTokenByAddress(ctx context.Context, purpose auth.Purpose, email string) (*auth.EmailToken, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+emailTokenColumns+` FROM email_tokens
		WHERE email = $1 AND purpose = $2 ORDER BY created_at DESC, id LIMIT 1`, email, string(purpose))
	t, err := scanEmailToken(row)
	return t, wrap("find email token", err)
}

func scanEmailToken(row scanner) (*auth.EmailToken, error) {
	var t auth.EmailToken
	var purpose string
	err := row.Scan(&t.ID, &t.UserID, &purpose, &t.Email, &t.TokenHash, &t.CodeHash, &t.CodeAttempts,
		timeScan{&t.CreatedAt}, timeScan{&t.ExpiresAt}, nullTimeScan{&t.UsedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, auth.ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	t.Purpose = auth.Purpose(purpose)
	return &t, nil
}

// ClaimCodeAttempt implements auth.EmailStore with one conditional UPDATE: PostgreSQL
// re-checks the condition on a row another try just committed, and SQLite writes one at a
// time, so of concurrent tries at most max ever claim one.
func (s *Store) ClaimCodeAttempt(ctx context.Context, id uuid.UUID, max int) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE email_tokens SET code_attempts = code_attempts + 1
		WHERE id = $1 AND code_attempts < $2 AND used_at IS NULL`, id, max)
	if err != nil {
		return false, wrap("claim code attempt", err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap("claim code attempt", err)
}

// MarkEmailVerified implements auth.EmailStore.
func (s *Store) MarkEmailVerified(ctx context.Context, userID uuid.UUID, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2`,
		timeValue{now}, userID)
	return wrap("mark email verified", expectOne(res, err, auth.ErrUserNotFound))
}

// UseEmailToken implements auth.EmailStore. The token is spent by an UPDATE conditional on
// used_at IS NULL, so of two concurrent uses exactly one goes on (PostgreSQL re-checks the
// condition on the row the other committed; SQLite writes one at a time).
func (s *Store) UseEmailToken(ctx context.Context, t *auth.EmailToken, use auth.TokenUse, now time.Time, msgs ...*mail.Message) error {
	return wrap("use email token", s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE email_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL`,
			timeValue{now}, t.ID)
		if err := expectOne(res, err, auth.ErrTokenUsed); err != nil {
			return err
		}
		if err := s.applyToken(ctx, tx, t, use, now); err != nil {
			return err
		}
		for _, m := range msgs {
			if err := s.insertMail(ctx, tx, m, now); err != nil {
				return err
			}
		}
		return nil
	}))
}

// applyToken does what t is for, in tx. Each UPDATE names the address the token was bound
// to, so a token outlives no change of address.
func (s *Store) applyToken(ctx context.Context, tx *sql.Tx, t *auth.EmailToken, use auth.TokenUse, now time.Time) error {
	var res sql.Result
	var err error
	switch t.Purpose {
	case auth.PurposeVerifyEmail:
		res, err = tx.ExecContext(ctx, `UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1)
			WHERE id = $2 AND email = $3`, timeValue{now}, t.UserID, t.Email)
		return expectOne(res, err, auth.ErrInvalidToken)
	case auth.PurposePasswordReset:
		res, err = tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, security_stamp = $2, updated_at = $3,
			email_verified_at = COALESCE(email_verified_at, $3) WHERE id = $4 AND email = $5`,
			use.PasswordHash, newSecurityStamp(), timeValue{now}, t.UserID, t.Email)
		if err := expectOne(res, err, auth.ErrInvalidToken); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, t.UserID)
		return err
	case auth.PurposeEmailChange:
		res, err = tx.ExecContext(ctx, `UPDATE users SET email = $1, security_stamp = $2, updated_at = $3,
			email_verified_at = $3 WHERE id = $4 AND email = $5`,
			t.Email, newSecurityStamp(), timeValue{now}, t.UserID, use.FromEmail)
		if isUniqueViolation(err) {
			return auth.ErrEmailTaken
		}
		if err := expectOne(res, err, auth.ErrInvalidToken); err != nil {
			return err
		}
		// Tokens sent to the old address (a reset, a verification, the report) die with it.
		_, err = tx.ExecContext(ctx, `DELETE FROM email_tokens WHERE user_id = $1 AND used_at IS NULL`, t.UserID)
		return err
	case auth.PurposeEmailChangeReport:
		_, err = tx.ExecContext(ctx, `DELETE FROM email_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
			t.UserID, string(auth.PurposeEmailChange))
		return err
	}
	return auth.ErrInvalidToken
}

// isUniqueViolation reports whether err is a unique violation, by its error code. The only
// unique column an UPDATE of users can collide on is the email (users_email_key).
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505" && pgErr.ConstraintName == "users_email_key"
	}
	var liteErr *sqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}
