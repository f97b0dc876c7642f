// Package store is Gatehouse's only SQL: it keeps auth's users and sessions, mailbox's email
// accounts, token's signing keys, mail's outbox and the CAPTCHA's used challenges in SQLite
// (the default) or PostgreSQL. It knows the schema, not the rules: expiry, reuse detection,
// validation and retry schedules are decided by its callers. The secrets it keeps (signing-key
// seeds, the bodies of queued mail, the CAPTCHA key) are sealed with internal/secret under a
// keyring it is given and that is never stored, so a copy of the database yields none of them.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/token"
)

// The dialects a Store speaks, as Dialect reports them.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

var (
	_ auth.Store     = (*Store)(nil)
	_ mailbox.Store  = (*Store)(nil)
	_ token.KeyStore = (*Store)(nil)
)

// Store keeps Gatehouse's data in one SQL database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect string
	// secrets seals the columns sealedColumns lists; the key is never stored in the database.
	secrets *secret.Keyring
	stmts   statements
}

// Open connects to databaseURL and checks that the database answers. A postgres:// or
// postgresql:// URL selects PostgreSQL; anything else is a SQLite file, given as a plain path or
// a file: URI, whose directory must exist: Open never creates directories, so a mistyped path
// fails here instead of quietly starting an empty database elsewhere. secrets seals the secrets
// the store keeps (signing-key seeds). Open does not migrate: call Migrate, then SealSecrets,
// before use.
func Open(ctx context.Context, databaseURL string, secrets *secret.Keyring) (*Store, error) {
	if secrets == nil {
		return nil, errors.New("open database: no secret keyring")
	}
	s, err := open(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s.secrets = secrets
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	return s, nil
}

func open(databaseURL string) (*Store, error) {
	if isPostgres(databaseURL) {
		db, err := sql.Open("pgx", databaseURL)
		if err != nil {
			return nil, err
		}
		// As many idle as open: with fewer, every burst above the idle count closes the
		// connections it opened and the next burst pays a new PostgreSQL backend for each (a
		// 16-client run opened ~1,000 of them in 10 s). Idle ones still go after 5 minutes,
		// and every one after 30, so a failover or a PgBouncer restart is picked up.
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
		db.SetConnMaxIdleTime(5 * time.Minute)
		db.SetConnMaxLifetime(30 * time.Minute)
		return &Store{db: db, dialect: DialectPostgres}, nil
	}
	path, dsn, err := sqliteDSN(databaseURL)
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); !isDir(dir) {
		return nil, fmt.Errorf("the directory %s of the SQLite database does not exist (create it, or fix the path)", dir)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// SQLite has one writer at a time however many connections there are; a few let reads
	// run beside it under WAL, and busy_timeout queues the writers. Idle connections are kept
	// because each new one reopens the file and reapplies the pragmas.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	return &Store{db: db, dialect: DialectSQLite}, nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// SQLitePath returns the file a SQLite databaseURL names (a plain path or a file: URI), or
// false for a PostgreSQL URL.
func SQLitePath(databaseURL string) (string, bool) {
	if isPostgres(databaseURL) {
		return "", false
	}
	path, _, _ := sqliteDSN(databaseURL) // "" if malformed; Open then says why
	return path, true
}

func isPostgres(databaseURL string) bool {
	return strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://")
}

// sqlitePragmas are set on every SQLite connection. foreign_keys is per connection and off by
// default, and the ON DELETE CASCADE the schema relies on needs it. _txlock=immediate makes
// every write transaction take the write lock at BEGIN, so two transactions never both read
// and then deadlock upgrading to write (an SQLITE_BUSY that busy_timeout cannot resolve).
var sqlitePragmas = url.Values{
	"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"},
	"_txlock": {"immediate"},
}

// sqliteDSN turns a path or file: URI into the file's path and the driver's DSN with
// sqlitePragmas added to any query the URI already has.
func sqliteDSN(databaseURL string) (path, dsn string, err error) {
	path, query := databaseURL, url.Values{}
	if rest, ok := strings.CutPrefix(databaseURL, "file:"); ok {
		p, q, _ := strings.Cut(rest, "?")
		if path, err = url.PathUnescape(p); err != nil {
			return "", "", fmt.Errorf("sqlite path: %w", err)
		}
		if query, err = url.ParseQuery(q); err != nil {
			return "", "", fmt.Errorf("sqlite query: %w", err)
		}
	}
	if path == "" {
		return "", "", errors.New("empty database path")
	}
	for k, vs := range sqlitePragmas {
		query[k] = append(query[k], vs...)
	}
	// In a URI, '%', '?' and '#' would be read as escapes, the query and the fragment.
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	return path, "file:" + escaped + "?" + query.Encode(), nil
}

// Dialect returns DialectSQLite or DialectPostgres.
func (s *Store) Dialect() string { return s.dialect }

// Ping returns nil when the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// DBStats is the connection pool's statistics, for metrics.
func (s *Store) DBStats() sql.DBStats { return s.db.Stats() }

// Close closes the database; it waits for queries in flight to finish.
func (s *Store) Close() error {
	s.closeStatements()
	return s.db.Close()
}

// txAttempts is how many times retry runs a transaction that PostgreSQL aborted as a
// serialization failure or a deadlock victim.
const txAttempts = 5

// inTx runs fn in a transaction and commits it if fn returns nil, rolling back otherwise. On
// PostgreSQL it runs the whole transaction again, fn included, when the server aborted it as a
// serialization failure or a deadlock victim, so fn must set its results afresh on every call.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.retry(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	})
}

// exec runs one statement on its own, retried as retry says: a DELETE that cascades locks
// rows in several tables and can be chosen as a deadlock victim.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.retry(ctx, func() error {
		var err error
		res, err = s.db.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// retry runs attempt, a whole transaction (or a single statement, which is one), up to
// txAttempts times while it fails with an error worth retrying, waiting a little longer, with
// jitter, before each new attempt so that the transactions that collided do not collide again.
func (s *Store) retry(ctx context.Context, attempt func() error) error {
	var err error
	for i := range txAttempts {
		if err = attempt(); !s.retryable(err) || i == txAttempts-1 {
			return err
		}
		wait := time.Duration(i+1) * (5*time.Millisecond + rand.N(5*time.Millisecond))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
	return err
}

// retryable reports whether err is a PostgreSQL serialization_failure or deadlock_detected,
// by SQLSTATE: the server rolled the transaction back and running it again may succeed.
// SQLite's immediate transactions never deadlock; busy_timeout makes them wait instead.
func (s *Store) retryable(err error) bool {
	var pgErr *pgconn.PgError
	return s.dialect == DialectPostgres && errors.As(err, &pgErr) &&
		(pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// lockShare is the locking clause that makes a SELECT on PostgreSQL wait for, and then
// re-check, rows a concurrent transaction is updating, and keep them from changing until the
// transaction ends; SQLite has none and needs none.
func (s *Store) lockShare() string {
	if s.dialect == DialectPostgres {
		return " FOR SHARE"
	}
	return ""
}

// lockUpdate is the locking clause that makes a SELECT on PostgreSQL lock the rows it returns
// for writing until the transaction ends, waiting for any concurrent writer; SQLite has none
// and needs none.
func (s *Store) lockUpdate() string {
	if s.dialect == DialectPostgres {
		return " FOR UPDATE"
	}
	return ""
}

// isForeignKeyViolation reports whether err is a foreign key violation, by its error code.
func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23503" // foreign_key_violation
	}
	var liteErr *sqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// wrap prefixes err with the operation op, except the domains' errors (*auth.Error, mailbox's
// included), which callers match as they are. It returns nil for nil.
func wrap(op string, err error) error {
	if _, ok := err.(*auth.Error); ok || err == nil {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}

// rowsAffected returns how many rows res changed.
func rowsAffected(res sql.Result) (int, error) {
	n, err := res.RowsAffected()
	return int(n), err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}
