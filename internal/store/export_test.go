package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// MigrateTo applies the migrations up to version and no further, so a test can put rows in
// an older schema and then check what a later migration makes of them.
func (s *Store) MigrateTo(ctx context.Context, version int) error {
	ms, err := migrations(s.dialect)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version > version {
			break
		}
		if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.apply(ctx, tx, m) }); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// InsertUserV2 inserts a user as schema version 2 held one: without a security stamp.
func (s *Store) InsertUserV2(ctx context.Context, id uuid.UUID, email, hash string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO users (id, email, first_name, last_name, password_hash, created_at, updated_at)
		VALUES ($1, $2, 'Ada', 'Lovelace', $3, $4, $4)`, id, email, hash, timeValue{at})
	return err
}
