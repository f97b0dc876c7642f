package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/token"
)

// DB returns s's database, for tests that look at the stored bytes.
func DB(s *Store) *sql.DB { return s.db }

// MigrateTo applies the migrations up to version last, leaving the database as an older
// Gatehouse left it, so a test can put rows in an older schema and then check what a later
// migration makes of them.
func MigrateTo(ctx context.Context, s *Store, last int) error { return s.migrateTo(ctx, last) }

// InsertPlaintextKey stores k as Gatehouse did before migration 0004: its seed in plaintext.
func InsertPlaintextKey(ctx context.Context, s *Store, k token.SigningKey) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO signing_keys (id, seed, created_at) VALUES ($1, $2, $3)`,
		k.ID, k.Seed, timeValue{k.CreatedAt})
	return err
}

// InsertUserV2 inserts a user as schema version 2 held one: without a security stamp.
func InsertUserV2(ctx context.Context, s *Store, id uuid.UUID, email, hash string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO users (id, email, first_name, last_name, password_hash, created_at, updated_at)
		VALUES ($1, $2, 'Ada', 'Lovelace', $3, $4, $4)`, id, email, hash, timeValue{at})
	return err
}

// RequestPathQueries are the queries a request makes on its hot path, as the store sends them,
// with the name of the method that sends each, for the plan test.
var RequestPathQueries = map[string]string{
	"FindUserByEmail (sign-in)":          `SELECT ` + userColumns + ` FROM users WHERE email = $1`,
	"FindSessionUser (every authed req)": sessionUserQuery,
	"FindRefreshToken (refresh)":         `SELECT ` + refreshTokenColumns + ` FROM refresh_tokens WHERE selector = $1`,
	"RotateRefreshToken (refresh)":       `SELECT id FROM sessions WHERE id = (SELECT session_id FROM refresh_tokens WHERE selector = $1)`,
	"ListSessions (sessions list)": `SELECT ` + sessionColumns + ` FROM sessions WHERE user_id = $1 AND expires_at > $2
		ORDER BY last_used_at DESC, created_at DESC, id`,
}
