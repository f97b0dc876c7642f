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

const refreshTokenColumns = `selector, session_id, verifier_hash, successor_salt, created_at, expires_at, rotated_at`

// The statements of a rotation, the commonest write; the session lookup's lock clause is the
// dialect's (lockUpdate).
const (
	rotateSessionQuery = `
			SELECT id FROM sessions
			WHERE id = (SELECT session_id FROM refresh_tokens WHERE selector = $1)`
	rotateTokenQuery = `
			UPDATE refresh_tokens SET rotated_at = $1
			WHERE selector = $2 AND session_id = $3 AND rotated_at IS NULL`
	rotateTouchQuery = `
			UPDATE sessions SET last_used_at = $1, ip = $2, user_agent = $3, expires_at = $4
			WHERE id = $5`
	insertRefreshTokenQuery = `
		INSERT INTO refresh_tokens (` + refreshTokenColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`
)

// FindRefreshToken returns auth.ErrRefreshTokenNotFound if no token has this selector.
func (s *Store) FindRefreshToken(ctx context.Context, selector string) (*auth.RefreshToken, error) {
	var t auth.RefreshToken
	err := s.queryRowHot(ctx, `
		SELECT `+refreshTokenColumns+` FROM refresh_tokens WHERE selector = $1`, selector).
		Scan(&t.Selector, &t.SessionID, &t.VerifierHash, &t.SuccessorSalt,
			timeScan{&t.CreatedAt}, timeScan{&t.ExpiresAt}, nullTimeScan{&t.RotatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, auth.ErrRefreshTokenNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find refresh token: %w", err)
	}
	return &t, nil
}

// RotateRefreshToken marks the token with oldSelector rotated at now, inserts next and moves
// the session's LastUsedAt (to now), IP, UserAgent and ExpiresAt (to next.ExpiresAt), all in
// one transaction. It returns false, and changes nothing, if the old token was already rotated
// or is gone, its session deleted meanwhile included. next must belong to the old token's
// session.
//
// Rows are locked in the order every delete locks them, session first and then its tokens
// (DeleteSession, DeleteOtherSessions, ChangePassword and DeleteUser reach the tokens through
// ON DELETE CASCADE), so rotation and revocation never deadlock on PostgreSQL: rotation first
// takes the session's row lock, and only then the token's. A revocation that committed first
// leaves no session to lock (false); one that comes later waits and deletes the new token
// too. The conditional UPDATE of the token then decides between rotations: of concurrent
// rotations of one token, exactly one returns true. SQLite runs write transactions one at a
// time, so there the first SELECT only checks that the session is there.
func (s *Store) RotateRefreshToken(ctx context.Context, oldSelector string, next *auth.RefreshToken, now time.Time, ip, userAgent string) (bool, error) {
	s.prepare(ctx, rotateSessionQuery+s.lockUpdate(), rotateTokenQuery, insertRefreshTokenQuery, rotateTouchQuery)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var sessionID uuid.UUID
		err := s.txQueryRowHot(ctx, tx, rotateSessionQuery+s.lockUpdate(), oldSelector).Scan(&sessionID)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotRotated
		}
		if err != nil {
			return err
		}
		if sessionID != next.SessionID {
			return fmt.Errorf("next token is for session %s, not %s", next.SessionID, sessionID)
		}
		res, err := s.txExecHot(ctx, tx, rotateTokenQuery, timeValue{now}, oldSelector, sessionID)
		if err := expectOne(res, err, errNotRotated); err != nil {
			return err
		}
		// The session is locked, so neither error below should happen; should one all the
		// same, the token was not rotated and the transaction rolls back.
		if err := s.insertRefreshToken(ctx, tx, next); isForeignKeyViolation(err) {
			return errNotRotated
		} else if err != nil {
			return err
		}
		res, err = s.txExecHot(ctx, tx, rotateTouchQuery, timeValue{now}, ip, userAgent, timeValue{next.ExpiresAt}, sessionID)
		return expectOne(res, err, errNotRotated)
	})
	if err == errNotRotated {
		return false, nil
	}
	return err == nil, wrap("rotate refresh token", err)
}

// errNotRotated rolls back a rotation that must report false: the token was rotated already
// or its session is gone.
var errNotRotated = errors.New("refresh token not rotated")

// insertRefreshToken inserts t in tx (prepared when a rotation has prepared it).
func (s *Store) insertRefreshToken(ctx context.Context, tx *sql.Tx, t *auth.RefreshToken) error {
	_, err := s.txExecHot(ctx, tx, insertRefreshTokenQuery,
		t.Selector, t.SessionID, t.VerifierHash, t.SuccessorSalt,
		timeValue{t.CreatedAt}, timeValue{t.ExpiresAt}, nullTimeValue{t.RotatedAt})
	if err != nil {
		return fmt.Errorf("insert refresh token: %w", err)
	}
	return nil
}
