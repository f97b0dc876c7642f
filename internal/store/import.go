package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/importer"
	"github.com/gatehouse/gatehouse/internal/mailbox"
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
// importColumns are the users columns an import writes. An imported address is not verified
// (email_verified_at stays NULL): the old app never checked it, so the owner proves it here.
const importColumns = `id, email, first_name, last_name, password_hash, security_stamp, created_at, updated_at`

func (s *Store) ImportUsers(ctx context.Context, users []importer.User, dryRun bool) ([]importer.Outcome, error) {
	var out []importer.Outcome
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		inserted, err := s.insertUsers(ctx, tx, users)
		if err != nil {
			return err
		}
		out, err = outcomes(ctx, tx, users, inserted)
		if err != nil {
			return err
		}
		if err := s.insertAccounts(ctx, tx, users, inserted); err != nil {
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

// insertUsers inserts users and returns the ids it inserted. PostgreSQL gets one statement
// per batch, its columns as arrays (unnest), so it parses once and plans once; SQLite gets a
// prepared INSERT of sqliteRows rows, since parsing one statement with thousands of
// parameters costs it more than the inserts.
func (s *Store) insertUsers(ctx context.Context, tx *sql.Tx, users []importer.User) (map[uuid.UUID]bool, error) {
	inserted := make(map[uuid.UUID]bool, len(users))
	if s.dialect == DialectPostgres {
		cols := make([][]string, 8)
		for i := range cols {
			cols[i] = make([]string, len(users))
		}
		for i, u := range users {
			created, err := timeValue{u.CreatedAt}.Value()
			if err != nil {
				return nil, err
			}
			updated, err := timeValue{u.UpdatedAt}.Value()
			if err != nil {
				return nil, err
			}
			for c, v := range []string{u.ID.String(), u.Email, u.FirstName, u.LastName, u.PasswordHash,
				newSecurityStamp(), created.(string), updated.(string)} {
				cols[c][i] = v
			}
		}
		rows, err := tx.QueryContext(ctx, `
			INSERT INTO users (`+importColumns+`)
			SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
				$7::timestamptz[], $8::timestamptz[])
			ON CONFLICT DO NOTHING RETURNING id`,
			cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7])
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id uuid.UUID
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			inserted[id] = true
		}
		return inserted, rows.Err()
	}
	// SQLite: statements of sqliteRows rows, the one for full chunks prepared once per batch.
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for start := 0; start < len(users); start += sqliteRows {
		chunk := users[start:min(len(users), start+sqliteRows)]
		args := make([]any, 0, len(chunk)*8)
		for _, u := range chunk {
			args = append(args, u.ID, u.Email, u.FirstName, u.LastName, u.PasswordHash, newSecurityStamp(),
				timeValue{u.CreatedAt}, timeValue{u.UpdatedAt})
		}
		query := `INSERT INTO users (` + importColumns + `) VALUES ` + anonymous(len(chunk), 8) +
			` ON CONFLICT DO NOTHING RETURNING id`
		var rows *sql.Rows
		var err error
		if len(chunk) == sqliteRows {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, query); err != nil {
					return nil, err
				}
			}
			rows, err = full.QueryContext(ctx, args...)
		} else {
			rows, err = tx.QueryContext(ctx, query, args...)
		}
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

// sqliteRows is how many rows one SQLite INSERT writes: enough to spend little per row on the
// statement, few enough that parsing it stays cheap.
const sqliteRows = 50

// anonymous returns n tuples of cols anonymous parameters, (?, ?), (?, ?), …: the SQLite
// driver looks every named parameter up by number, which costs it quadratic time in a long
// statement, and skips that for these.
func anonymous(n, cols int) string {
	tuple := "(" + strings.Repeat("?,", cols-1) + "?)"
	return strings.Repeat(tuple+",", n-1) + tuple
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

// insertAccounts inserts the email accounts of the users just inserted, as insertUsers
// inserts users. An account whose id or (user, address) is taken is skipped.
func (s *Store) insertAccounts(ctx context.Context, tx *sql.Tx, users []importer.User, inserted map[uuid.UUID]bool) error {
	var accounts []mailbox.EmailAccount
	for _, u := range users {
		if inserted[u.ID] {
			accounts = append(accounts, u.Accounts...)
		}
	}
	if len(accounts) == 0 {
		return nil
	}
	if s.dialect == DialectPostgres {
		cols := make([][]string, 7)
		for i := range cols {
			cols[i] = make([]string, len(accounts))
		}
		for i, a := range accounts {
			created, err := timeValue{a.CreatedAt}.Value()
			if err != nil {
				return err
			}
			updated, err := timeValue{a.UpdatedAt}.Value()
			if err != nil {
				return err
			}
			for c, v := range []string{a.ID.String(), a.UserID.String(), a.EmailAddress, string(a.Provider), a.DisplayName,
				created.(string), updated.(string)} {
				cols[c][i] = v
			}
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO email_accounts (`+emailAccountColumns+`)
			SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[],
				$6::timestamptz[], $7::timestamptz[])
			ON CONFLICT DO NOTHING`,
			cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6])
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO email_accounts (`+emailAccountColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, a := range accounts {
		if _, err := stmt.ExecContext(ctx, a.ID, a.UserID, a.EmailAddress, string(a.Provider), a.DisplayName,
			timeValue{a.CreatedAt}, timeValue{a.UpdatedAt}); err != nil {
			return err
		}
	}
	return nil
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
