package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

const sessionColumns = `id, user_id, user_agent, ip, created_at, last_used_at, expires_at`

// CreateSession inserts sess and its first refresh token, which must belong to sess, in one
// transaction, but only if the user's security stamp is still stamp, the one the sign-in read
// with the credential it verified. The condition is part of the INSERT; on PostgreSQL it also
// takes a share lock on the user's row, so a concurrent ChangePassword either commits first
// (and the condition, re-checked on the new row, fails) or waits for this transaction and
// then deletes the new session with the others. SQLite runs write transactions one at a time.
// It returns auth.ErrCredentialsChanged if the stamp differs, and auth.ErrUserNotFound if
// sess.UserID names no user (the user was deleted meanwhile).
func (s *Store) CreateSession(ctx context.Context, sess *auth.Session, first *auth.RefreshToken, stamp string) error {
	_, err := s.CreateSessionBounded(ctx, sess, first, stamp, 0)
	return err
}

// CreateSessionBounded is CreateSession that, when maxSessions > 0, also ends in the same
// transaction the user's least recently used sessions beyond the newest maxSessions, and
// returns how many it ended. On PostgreSQL the bounded form locks the user's row against
// other sign-ins of the same user (FOR NO KEY UPDATE, which still lets sessions reference the
// row), so two concurrent sign-ins at the bound cannot both count the other's session out
// and leave maxSessions+1; SQLite runs write transactions one at a time.
func (s *Store) CreateSessionBounded(ctx context.Context, sess *auth.Session, first *auth.RefreshToken, stamp string, maxSessions int) (int, error) {
	if first.SessionID != sess.ID {
		return 0, fmt.Errorf("create session: refresh token is for session %s, not %s", first.SessionID, sess.ID)
	}
	lock := s.lockShare()
	if maxSessions > 0 && s.dialect == DialectPostgres {
		lock = " FOR NO KEY UPDATE"
	}
	var ended int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ended = 0
		res, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (`+sessionColumns+`)
			SELECT $1, $2, $3, $4, $5, $6, $7
			WHERE EXISTS (SELECT 1 FROM users WHERE id = $2 AND security_stamp = $8`+lock+`)`,
			sess.ID, sess.UserID, sess.UserAgent, sess.IP,
			timeValue{sess.CreatedAt}, timeValue{sess.LastUsedAt}, timeValue{sess.ExpiresAt},
			stamp)
		if isForeignKeyViolation(err) {
			return auth.ErrUserNotFound
		}
		if err := expectOne(res, err, errNoRow); err != nil {
			return err
		}
		if err := s.insertRefreshToken(ctx, tx, first); err != nil {
			return err
		}
		if maxSessions <= 0 {
			return nil
		}
		// The order is ListSessions': the newest use is kept, and the session just made
		// (used now) is always among the kept. Refresh tokens go by ON DELETE CASCADE.
		res, err = tx.ExecContext(ctx, `
			DELETE FROM sessions WHERE user_id = $1 AND id NOT IN (
				SELECT id FROM sessions WHERE user_id = $1
				ORDER BY last_used_at DESC, created_at DESC, id LIMIT $2)`,
			sess.UserID, maxSessions)
		if err != nil {
			return err
		}
		ended, err = rowsAffected(res)
		return err
	})
	if err == errNoRow {
		err = s.credentialsError(ctx, sess.UserID)
	}
	return ended, wrap("create session", err)
}

// FindSession returns auth.ErrSessionNotFound if there is no such session. An expired session
// is still returned: the caller compares ExpiresAt.
func (s *Store) FindSession(ctx context.Context, id uuid.UUID) (*auth.Session, error) {
	var sess auth.Session
	err := scanSession(s.queryRowHot(ctx,
		`SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id), &sess)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, auth.ErrSessionNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return &sess, nil
}

// ListSessions returns the user's sessions that expire after now, most recently used first.
func (s *Store) ListSessions(ctx context.Context, userID uuid.UUID, now time.Time) ([]auth.Session, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = $1 AND expires_at > $2
		ORDER BY last_used_at DESC, created_at DESC, id`,
		userID, timeValue{now})
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	list := []auth.Session{}
	for rows.Next() {
		var sess auth.Session
		if err := scanSession(rows, &sess); err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		list = append(list, sess)
	}
	return list, wrap("list sessions", rows.Err())
}

func scanSession(row scanner, s *auth.Session) error {
	return row.Scan(&s.ID, &s.UserID, &s.UserAgent, &s.IP,
		timeScan{&s.CreatedAt}, timeScan{&s.LastUsedAt}, timeScan{&s.ExpiresAt})
}

// DeleteSession deletes one of the user's sessions; its refresh tokens go with it by ON DELETE
// CASCADE. It returns auth.ErrSessionNotFound if the user has no such session, including when
// the session belongs to someone else.
func (s *Store) DeleteSession(ctx context.Context, userID, sessionID uuid.UUID) error {
	res, err := s.exec(ctx,
		`DELETE FROM sessions WHERE id = $1 AND user_id = $2`, sessionID, userID)
	return wrap("delete session", expectOne(res, err, auth.ErrSessionNotFound))
}

// DeleteOtherSessions deletes every session of the user but keep and returns how many.
func (s *Store) DeleteOtherSessions(ctx context.Context, userID, keep uuid.UUID) (int, error) {
	res, err := s.exec(ctx,
		`DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("delete other sessions: %w", err)
	}
	n, err := rowsAffected(res)
	return n, wrap("delete other sessions", err)
}

// DeleteExpired deletes sessions that expired before now, with their refresh tokens, and
// every other refresh token that expired before now, and returns how many sessions went.
// Rotated tokens are kept until they expire, for reuse detection; after that a reuse fails
// anyway, so they would only pile up.
func (s *Store) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, timeValue{now})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := rowsAffected(res)
	if err != nil {
		return 0, wrap("delete expired sessions", err)
	}
	if _, err := s.exec(ctx, `DELETE FROM refresh_tokens WHERE expires_at < $1`, timeValue{now}); err != nil {
		return 0, fmt.Errorf("delete expired refresh tokens: %w", err)
	}
	return n, nil
}
