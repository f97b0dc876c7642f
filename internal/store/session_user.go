package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// sessionUserQuery reads a session and its user in one round trip: every authenticated
// request checks its session, and GET /api/users/me then needs the user, so one query by the
// two primary keys serves both.
const sessionUserQuery = `
	SELECT s.id, s.user_id, s.user_agent, s.ip, s.created_at, s.last_used_at, s.expires_at,
		u.id, u.email, u.first_name, u.last_name, u.password_hash, u.security_stamp, u.created_at, u.updated_at
	FROM sessions s JOIN users u ON u.id = s.user_id
	WHERE s.id = $1`

// FindSessionUser returns the session and the user it belongs to, in one query. It returns
// auth.ErrSessionNotFound if there is no such session; an expired session is still returned.
func (s *Store) FindSessionUser(ctx context.Context, id uuid.UUID) (*auth.Session, *auth.User, error) {
	var sess auth.Session
	var u auth.User
	err := s.db.QueryRowContext(ctx, sessionUserQuery, id).Scan(
		&sess.ID, &sess.UserID, &sess.UserAgent, &sess.IP,
		timeScan{&sess.CreatedAt}, timeScan{&sess.LastUsedAt}, timeScan{&sess.ExpiresAt},
		&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.PasswordHash, &u.SecurityStamp,
		timeScan{&u.CreatedAt}, timeScan{&u.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, auth.ErrSessionNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find session and user: %w", err)
	}
	return &sess, &u, nil
}
