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

// FindRefreshToken returns auth.ErrRefreshTokenNotFound if no token has this selector.
func (s *Store) FindRefreshToken(ctx context.Context, selector string) (*auth.RefreshToken, error) {
	var t auth.RefreshToken
	err := s.db.QueryRowContext(ctx, `
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
// or is gone. The conditional UPDATE decides: PostgreSQL makes a concurrent rotation wait for
// the row and then re-check rotated_at IS NULL, SQLite runs the transactions one at a time, so
// of concurrent rotations of one token exactly one returns true. next must belong to the old
// token's session.
func (s *Store) RotateRefreshToken(ctx context.Context, oldSelector string, next *auth.RefreshToken, now time.Time, ip, userAgent string) (bool, error) {
	rotated := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var sessionID uuid.UUID
		err := tx.QueryRowContext(ctx, `
			UPDATE refresh_tokens SET rotated_at = $1
			WHERE selector = $2 AND rotated_at IS NULL
			RETURNING session_id`, timeValue{now}, oldSelector).Scan(&sessionID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if sessionID != next.SessionID {
			return fmt.Errorf("next token is for session %s, not %s", next.SessionID, sessionID)
		}
		if err := insertRefreshToken(ctx, tx, next); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE sessions SET last_used_at = $1, ip = $2, user_agent = $3, expires_at = $4
			WHERE id = $5`,
			timeValue{now}, ip, userAgent, timeValue{next.ExpiresAt}, next.SessionID)
		if err := expectOne(res, err, auth.ErrSessionNotFound); err != nil {
			return err
		}
		rotated = true
		return nil
	})
	return rotated && err == nil, wrap("rotate refresh token", err)
}

// insertRefreshToken inserts t in tx.
func insertRefreshToken(ctx context.Context, tx *sql.Tx, t *auth.RefreshToken) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO refresh_tokens (`+refreshTokenColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.Selector, t.SessionID, t.VerifierHash, t.SuccessorSalt,
		timeValue{t.CreatedAt}, timeValue{t.ExpiresAt}, nullTimeValue{t.RotatedAt})
	if err != nil {
		return fmt.Errorf("insert refresh token: %w", err)
	}
	return nil
}
