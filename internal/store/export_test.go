package store

import (
	"context"
	"database/sql"

	"github.com/gatehouse/gatehouse/internal/token"
)

// DB returns s's database, for tests that look at the stored bytes.
func DB(s *Store) *sql.DB { return s.db }

// MigrateTo applies the migrations up to version last, leaving the database as an older
// Gatehouse left it.
func MigrateTo(ctx context.Context, s *Store, last int) error { return s.migrateTo(ctx, last) }

// InsertPlaintextKey stores k as Gatehouse did before migration 0004: its seed in plaintext.
func InsertPlaintextKey(ctx context.Context, s *Store, k token.SigningKey) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO signing_keys (id, seed, created_at) VALUES ($1, $2, $3)`,
		k.ID, k.Seed, timeValue{k.CreatedAt})
	return err
}
