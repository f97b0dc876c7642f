package store

import (
	"context"
	"database/sql"
	"fmt"
)

// sealedColumn is a column whose values are sealed under the store's secret keyring. Each
// value is bound to its row: the additional data names the table, the column and the row's id,
// so a sealed value copied into another row (or column) does not open there.
type sealedColumn struct {
	table, id, column string
	// where selects the rows that hold a sealed value ("" for every row).
	where string
}

func (c sealedColumn) additionalData(id string) []byte {
	return []byte("gatehouse " + c.table + "." + c.column + " " + id)
}

// seedColumn holds the signing keys' Ed25519 seeds; rows from before migration 0004 hold
// plaintext until SealSecrets seals them.
var seedColumn = sealedColumn{table: "signing_keys", id: "id", column: "seed", where: "seed_sealed"}

// sealedColumns lists every sealed column, for SealSecrets' check and ResealSecrets. A new
// stored secret is one more entry here.
var sealedColumns = []sealedColumn{seedColumn, mailBodyColumn, serverSecretColumn}

// SealSecrets seals any secret still stored in plaintext (signing-key seeds from before
// migration 0004), then checks that every sealed value opens under the keyring, so a wrong key
// fails at start with an error naming the row, not later on first use. Call it after Migrate.
// It is safe to call again, and from several instances at once.
func (s *Store) SealSecrets(ctx context.Context) error {
	if err := s.sealPlaintextSeeds(ctx); err != nil {
		return err
	}
	for _, c := range sealedColumns {
		err := s.eachSealed(ctx, s.db, c, "", func(id string, value []byte) error {
			_, err := s.secrets.Open(value, c.additionalData(id))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// sealPlaintextSeeds seals the seeds that migration 0004 found in plaintext. The update
// re-checks seed_sealed, so an instance sealing at the same moment never seals a seal.
func (s *Store) sealPlaintextSeeds(ctx context.Context) error {
	return wrap("seal signing keys", s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, seed FROM signing_keys WHERE NOT seed_sealed`+s.lockUpdate())
		if err != nil {
			return err
		}
		plain := map[string][]byte{}
		for rows.Next() {
			var id string
			var seed []byte
			if err := rows.Scan(&id, &seed); err != nil {
				rows.Close()
				return err
			}
			plain[id] = seed
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for id, seed := range plain {
			sealed, err := s.secrets.Seal(seed, seedColumn.additionalData(id))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `
				UPDATE signing_keys SET seed = $1, seed_sealed = true WHERE id = $2 AND NOT seed_sealed`,
				sealed, id); err != nil {
				return err
			}
		}
		return nil
	}))
}

// ResealSecrets reseals every stored secret under the keyring's current key and returns how
// many it resealed; values already under the current key are left alone. After it, the keys
// listed as previous can be dropped. Every value must open (under the current or a previous
// key), or nothing is changed.
func (s *Store) ResealSecrets(ctx context.Context) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n = 0
		for _, c := range sealedColumns {
			resealed := map[string][]byte{}
			err := s.eachSealed(ctx, tx, c, s.lockUpdate(), func(id string, value []byte) error {
				if s.secrets.Current(value) {
					return nil
				}
				plain, err := s.secrets.Open(value, c.additionalData(id))
				if err != nil {
					return err
				}
				if resealed[id], err = s.secrets.Seal(plain, c.additionalData(id)); err != nil {
					return err
				}
				return nil
			})
			if err != nil {
				return err
			}
			for id, value := range resealed {
				_, err := tx.ExecContext(ctx, `UPDATE `+c.table+` SET `+c.column+` = $1 WHERE `+c.id+` = $2`, value, id)
				if err != nil {
					return fmt.Errorf("%s.%s of %s: %w", c.table, c.column, id, err)
				}
				n++
			}
		}
		return nil
	})
	return n, wrap("reseal secrets", err)
}

// querier is a *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// eachSealed calls fn with every sealed value of c and its row's id. An error from fn is
// returned naming the row (its id, never its value).
func (s *Store) eachSealed(ctx context.Context, q querier, c sealedColumn, lock string, fn func(id string, value []byte) error) error {
	query := `SELECT ` + c.id + `, ` + c.column + ` FROM ` + c.table
	if c.where != "" {
		query += ` WHERE ` + c.where
	}
	rows, err := q.QueryContext(ctx, query+lock)
	if err != nil {
		return fmt.Errorf("read %s.%s: %w", c.table, c.column, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var value []byte
		if err := rows.Scan(&id, &value); err != nil {
			return fmt.Errorf("read %s.%s: %w", c.table, c.column, err)
		}
		if err := fn(id, value); err != nil {
			return fmt.Errorf("%s.%s of %s: %w", c.table, c.column, id, err)
		}
	}
	return rows.Err()
}
