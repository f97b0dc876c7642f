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

// sessionUserQuery reads a session's expiry and its user in one round trip: every
// authenticated request checks its session, and GET /api/users/me then needs the user, so one
// query by the two primary keys serves both. It reads the user's columns that GET /api/users/me
// shows or a check needs, and no more: with SQLite every text column read is an allocation or more.
const sessionUserQuery = `
	SELECT s.expires_at,
		u.id, u.email, u.first_name, u.last_name, u.password_hash, u.security_stamp, u.created_at, u.updated_at,
		u.email_verified_at
	FROM sessions s JOIN users u ON u.id = s.user_id
	WHERE s.id = $1`

// FindSessionUser returns the user whose session id is and when that session expires, in one
// query. It returns auth.ErrSessionNotFound if there is no such session; an expired session
// is still found.
func (s *Store) FindSessionUser(ctx context.Context, id uuid.UUID) (*auth.User, time.Time, error) {
	var expires time.Time
	var u auth.User
	err := s.queryRowHot(ctx, sessionUserQuery, id).Scan(timeScan{&expires},
		&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.PasswordHash, &u.SecurityStamp,
		timeScan{&u.CreatedAt}, timeScan{&u.UpdatedAt}, nullTimeScan{&u.EmailVerifiedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, auth.ErrSessionNotFound
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("find session and user: %w", err)
	}
	return &u, expires, nil
}
