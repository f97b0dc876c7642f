package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/gatehouse/internal/token"
)

// ListSigningKeys returns every stored key, newest first.
func (s *Store) ListSigningKeys(ctx context.Context) ([]token.SigningKey, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, seed, created_at, retired_at FROM signing_keys
		ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list signing keys: %w", err)
	}
	defer rows.Close()
	keys := []token.SigningKey{}
	for rows.Next() {
		var k token.SigningKey
		err := rows.Scan(&k.ID, &k.Seed, timeScan{&k.CreatedAt}, nullTimeScan{&k.RetiredAt})
		if err != nil {
			return nil, fmt.Errorf("list signing keys: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, wrap("list signing keys", rows.Err())
}

// CreateSigningKey inserts k and, in the same transaction, retires every other key that is not
// retired yet (RetiredAt = k.CreatedAt).
func (s *Store) CreateSigningKey(ctx context.Context, k token.SigningKey) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx,
			`UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL`,
			timeValue{k.CreatedAt})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO signing_keys (id, seed, created_at, retired_at) VALUES ($1, $2, $3, $4)`,
			k.ID, k.Seed, timeValue{k.CreatedAt}, nullTimeValue{k.RetiredAt})
		return err
	})
	// The error names the key by its public id only; the seed is never part of it.
	return wrap("create signing key "+k.ID, err)
}

// DeleteSigningKeysRetiredBefore deletes keys retired before t: no unexpired token can name them
// any more.
func (s *Store) DeleteSigningKeysRetiredBefore(ctx context.Context, t time.Time) error {
	_, err := s.db.ExecContext(ctx,
		`DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1`, timeValue{t})
	return wrap("delete retired signing keys", err)
}
