package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/importer"
)

var _ importer.Store = (*Store)(nil)

// maxParams bounds the parameters of one statement: SQLite allows 32766, PostgreSQL 65535.
const maxParams = 30000

// errDryRun rolls a dry run's transaction back after it has learnt every outcome.
var errDryRun = errors.New("dry run")

// ImportUsers inserts users and their email accounts in one transaction, with multi-row
// INSERTs that skip a row whose id or email is taken (ON CONFLICT DO NOTHING), so a re-run
// never duplicates a user and never overwrites one: a user imported earlier may have signed in
// and changed their password since. Accounts are written only for users this call inserted.
// With dryRun the transaction is rolled back once the outcomes are known.
func (s *Store) ImportUsers(ctx context.Context, users []importer.User, dryRun bool) ([]importer.Outcome, error) {
	var out []importer.Outcome
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		inserted, err := insertUsers(ctx, tx, users)
		if err != nil {
			return err
		}
		out, err = outcomes(ctx, tx, users, inserted)
		if err != nil {
			return err
		}
		if err := insertAccounts(ctx, tx, users, inserted); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("import users: %w", err)
	}
	return out, nil
}

// insertUsers inserts users in statements of at most maxParams parameters and returns the ids
// it inserted.
func insertUsers(ctx context.Context, tx *sql.Tx, users []importer.User) (map[uuid.UUID]bool, error) {
	const cols = 8
	inserted := make(map[uuid.UUID]bool, len(users))
	for start := 0; start < len(users); start += maxParams / cols {
		chunk := users[start:min(len(users), start+maxParams/cols)]
		args := make([]any, 0, len(chunk)*cols)
		for _, u := range chunk {
			args = append(args, u.ID, u.Email, u.FirstName, u.LastName, u.PasswordHash, newSecurityStamp(),
				timeValue{u.CreatedAt}, timeValue{u.UpdatedAt})
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES `+
			placeholders(len(chunk), cols)+` ON CONFLICT DO NOTHING RETURNING id`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id uuid.UUID
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			inserted[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return inserted, nil
}

// outcomes tells, for each user not inserted, whether its id was there already (Exists) or
// its email belongs to another user (EmailTaken).
func outcomes(ctx context.Context, tx *sql.Tx, users []importer.User, inserted map[uuid.UUID]bool) ([]importer.Outcome, error) {
	out := make([]importer.Outcome, len(users))
	var missed []any
	for _, u := range users {
		if !inserted[u.ID] {
			missed = append(missed, u.ID)
		}
	}
	existing := map[uuid.UUID]bool{}
	for start := 0; start < len(missed); start += maxParams {
		chunk := missed[start:min(len(missed), start+maxParams)]
		rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE id IN (`+list(1, len(chunk))+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id uuid.UUID
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			existing[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for i, u := range users {
		switch {
		case inserted[u.ID]:
			out[i] = importer.Inserted
		case existing[u.ID]:
			out[i] = importer.Exists
		default:
			out[i] = importer.EmailTaken
		}
	}
	return out, nil
}

// insertAccounts inserts the email accounts of the users just inserted. An account whose id
// or (user, address) is taken is skipped.
func insertAccounts(ctx context.Context, tx *sql.Tx, users []importer.User, inserted map[uuid.UUID]bool) error {
	const cols = 7
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO email_accounts (`+emailAccountColumns+`) VALUES `+
			placeholders(len(args)/cols, cols)+` ON CONFLICT DO NOTHING`, args...)
		args = args[:0]
		return err
	}
	for _, u := range users {
		if !inserted[u.ID] {
			continue
		}
		for _, a := range u.Accounts {
			args = append(args, a.ID, u.ID, a.EmailAddress, string(a.Provider), a.DisplayName,
				timeValue{a.CreatedAt}, timeValue{a.UpdatedAt})
			if len(args)+cols > maxParams {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// placeholders returns n tuples of cols numbered parameters: ($1, $2), ($3, $4), …
func placeholders(n, cols int) string {
	var b strings.Builder
	b.Grow(n * cols * 7)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		b.WriteString(list(i*cols+1, cols))
		b.WriteByte(')')
	}
	return b.String()
}

// list returns n numbered parameters from $first: $1, $2, …
func list(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", first+i)
	}
	return b.String()
}
