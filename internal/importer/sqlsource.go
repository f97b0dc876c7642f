package importer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// ReadArticle reads every user, and every email account when that table exists, of the
// article's schema from from: a SQLite file path, or a postgres:// URL. It only reads: a
// SQLite file is opened read-only. A row whose id or timestamps do not read is still
// returned, with what is wrong, so the import can report it.
func ReadArticle(ctx context.Context, from string) ([]Record, error) {
	pg := strings.HasPrefix(from, "postgres://") || strings.HasPrefix(from, "postgresql://")
	var db *sql.DB
	var err error
	if pg {
		db, err = sql.Open("pgx", from)
	} else {
		if _, statErr := os.Stat(from); statErr != nil {
			return nil, fmt.Errorf("read %s: %w", from, statErr)
		}
		db, err = sql.Open("sqlite", "file:"+(&url.URL{Path: from}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(5000)")
	}
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	idExpr := "id"
	userIDExpr := "user_id"
	if pg {
		// PostgreSQL has a uuid type; read it as text. On SQLite the raw value is read, so a
		// REAL that NUMERIC affinity made of an id is seen as the number it became.
		idExpr, userIDExpr = "id::text", "user_id::text"
	}
	var records []Record
	if pg {
		records, err = readUsers(ctx, db, idExpr, "")
	} else {
		records, err = readUsersParallel(ctx, db)
	}
	if err != nil {
		return nil, err
	}
	index := make(map[string]int, len(records))
	for i, r := range records {
		index[r.Ref] = i
	}
	has, err := hasTable(ctx, db, pg, "email_accounts")
	if err != nil {
		return nil, err
	}
	if has {
		if err := readAccounts(ctx, db, idExpr, userIDExpr, records, index); err != nil {
			return nil, err
		}
	}
	return records, nil
}

// readParts is how many ranges of rowids readUsersParallel reads at once.
const readParts = 4

// readUsersParallel reads a SQLite source's users in readParts ranges of rowid at once, each
// on its own connection (readers do not block each other), and returns them in rowid order:
// decoding rows costs the driver more than the disk does.
func readUsersParallel(ctx context.Context, db *sql.DB) ([]Record, error) {
	var lo, hi sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT min(rowid), max(rowid) FROM users`).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	if !lo.Valid {
		return nil, nil
	}
	db.SetMaxOpenConns(readParts)
	step := (hi.Int64-lo.Int64)/readParts + 1
	parts := make([][]Record, readParts)
	errs := make([]error, readParts)
	var wg sync.WaitGroup
	for i := range readParts {
		from := lo.Int64 + int64(i)*step
		wg.Go(func() {
			parts[i], errs[i] = readUsers(ctx, db, "id", fmt.Sprintf(" WHERE rowid >= %d AND rowid < %d ORDER BY rowid", from, from+step))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var records []Record
	for _, p := range parts {
		records = append(records, p...)
	}
	return records, nil
}

func readUsers(ctx context.Context, db *sql.DB, idExpr, where string) ([]Record, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+idExpr+`, email, first_name, last_name, password_hash, created_at, updated_at FROM users`+where)
	if err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	defer rows.Close()
	var records []Record
	for rows.Next() {
		var rawID, created, updated any
		var email, first, last, hash sql.NullString
		if err := rows.Scan(&rawID, &email, &first, &last, &hash, &created, &updated); err != nil {
			return nil, fmt.Errorf("read users: %w", err)
		}
		r := Record{Email: email.String, FirstName: first.String, LastName: last.String, Hash: hash.String}
		r.ID, r.Ref, r.IDProblem = parseID(rawID)
		if r.CreatedAt, err = parseTime(created); err != nil && r.IDProblem == "" {
			r.IDProblem = "created_at: " + err.Error()
		}
		if r.UpdatedAt, err = parseTime(updated); err != nil && r.IDProblem == "" {
			r.IDProblem = "updated_at: " + err.Error()
		}
		records = append(records, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read users: %w", err)
	}
	return records, nil
}

// readAccounts attaches each email account to its user by the user_id as stored, so an
// account whose user's id was lost to a REAL still finds that (reported) user.
func readAccounts(ctx context.Context, db *sql.DB, idExpr, userIDExpr string, records []Record, index map[string]int) error {
	rows, err := db.QueryContext(ctx, `SELECT `+idExpr+`, `+userIDExpr+`, email_address, provider, display_name, created_at, updated_at FROM email_accounts`)
	if err != nil {
		return fmt.Errorf("read email accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rawID, rawUser, created, updated any
		var addr, provider, name sql.NullString
		if err := rows.Scan(&rawID, &rawUser, &addr, &provider, &name, &created, &updated); err != nil {
			return fmt.Errorf("read email accounts: %w", err)
		}
		a := AccountRecord{EmailAddress: addr.String, Provider: provider.String, DisplayName: name.String}
		a.ID, a.Ref, a.IDProblem = parseID(rawID)
		if a.CreatedAt, err = parseTime(created); err != nil && a.IDProblem == "" {
			a.IDProblem = "created_at: " + err.Error()
		}
		if a.UpdatedAt, err = parseTime(updated); err != nil && a.IDProblem == "" {
			a.IDProblem = "updated_at: " + err.Error()
		}
		_, userRef, _ := parseID(rawUser)
		i, ok := index[userRef]
		if !ok {
			// The same UUID may be spelled another way in user_id (dashed, upper case).
			if id, err := uuid.Parse(userRef); err == nil {
				i, ok = index[strings.ReplaceAll(id.String(), "-", "")]
				if !ok {
					i, ok = index[id.String()]
				}
			}
		}
		if !ok {
			continue // an orphan: its user is not in the source
		}
		records[i].Accounts = append(records[i].Accounts, a)
	}
	return rows.Err()
}

func hasTable(ctx context.Context, db *sql.DB, pg bool, name string) (bool, error) {
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1`
	if pg {
		q = `SELECT count(*) FROM information_schema.tables WHERE table_name = $1 AND table_schema = ANY (current_schemas(false))`
	}
	var n int
	if err := db.QueryRowContext(ctx, q, name).Scan(&n); err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}
