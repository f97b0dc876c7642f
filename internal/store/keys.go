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
		SELECT id, seed, seed_sealed, created_at, retired_at FROM signing_keys
		ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list signing keys: %w", err)
	}
	defer rows.Close()
	keys := []token.SigningKey{}
	for rows.Next() {
		var k token.SigningKey
		var stored []byte
		var sealed bool
		err := rows.Scan(&k.ID, &stored, &sealed, timeScan{&k.CreatedAt}, nullTimeScan{&k.RetiredAt})
		if err != nil {
			return nil, fmt.Errorf("list signing keys: %w", err)
		}
		if !sealed {
			return nil, fmt.Errorf("list signing keys: key %s is not sealed yet (SealSecrets seals it)", k.ID)
		}
		if k.Seed, err = s.secrets.Open(stored, seedColumn.additionalData(k.ID)); err != nil {
			return nil, fmt.Errorf("list signing keys: open the seed of key %s: %w", k.ID, err)
		}
		keys = append(keys, k)
	}
	return keys, wrap("list signing keys", rows.Err())
}

// CreateSigningKey inserts k and, in the same transaction, retires every key created before k
// that is not retired yet (RetiredAt = k.CreatedAt). A key created after k, by another
// instance whose insert committed first, stays unretired and k is inserted retired already,
// at the creation of the next newer key: the newest key wins whatever the commit order, so
// every instance ends up signing with the same key. Keys created in the same microsecond are
// ordered by id, as ListSigningKeys orders them. On PostgreSQL the transaction first takes a
// lock on the table that only another CreateSigningKey (or a delete) waits for, so two
// inserts cannot miss each other and both stay unretired; SQLite runs write transactions one
// at a time.
// The seed is stored sealed under the store's secret keyring, bound to the key's id.
func (s *Store) CreateSigningKey(ctx context.Context, k token.SigningKey) error {
	sealed, err := s.secrets.Seal(k.Seed, seedColumn.additionalData(k.ID))
	if err != nil {
		return fmt.Errorf("create signing key %s: %w", k.ID, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if s.dialect == DialectPostgres {
			if _, err := tx.ExecContext(ctx, `LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		retiredAt := k.RetiredAt
		if retiredAt == nil {
			var next *time.Time
			err := tx.QueryRowContext(ctx, `
				SELECT MIN(created_at) FROM signing_keys
				WHERE created_at > $1 OR (created_at = $1 AND id > $2)`,
				timeValue{k.CreatedAt}, k.ID).Scan(nullTimeScan{&next})
			if err != nil {
				return err
			}
			retiredAt = next
		}
		_, err := tx.ExecContext(ctx, `
			UPDATE signing_keys SET retired_at = $1
			WHERE retired_at IS NULL AND (created_at < $1 OR (created_at = $1 AND id < $2))`,
			timeValue{k.CreatedAt}, k.ID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO signing_keys (id, seed, seed_sealed, created_at, retired_at) VALUES ($1, $2, true, $3, $4)`,
			k.ID, sealed, timeValue{k.CreatedAt}, nullTimeValue{retiredAt})
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
