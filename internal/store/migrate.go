package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrationLockClass is the first key of the PostgreSQL advisory lock that serialises
// migrations; the second is the schema they create tables in, so databases that hold several
// Gatehouse schemas (tests do) migrate them independently. Every instance that starts at once
// takes the lock inside its migration transaction, so one applies each step and the others then
// find it recorded.
const migrationLockClass = 0x67617465 // "gate"

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the dialect's migrations in version order.
func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || version < 1 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and _", e.Name())
		}
		text, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: e.Name(), sql: string(text)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// Migrate applies, in order, every migration the database has not recorded in
// schema_migrations, each in its own transaction. It is safe to call again, and from several
// instances at once: PostgreSQL serialises them with an advisory lock, SQLite with the write
// lock its immediate transactions take.
func (s *Store) Migrate(ctx context.Context) error {
	return s.migrateTo(ctx, int(^uint(0)>>1))
}

// migrateTo applies the migrations up to and including version last.
func (s *Store) migrateTo(ctx context.Context, last int) error {
	ms, err := migrations(s.dialect)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		if m.version > last {
			break
		}
		if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.apply(ctx, tx, m) }); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// apply runs m in tx unless schema_migrations already records it.
func (s *Store) apply(ctx context.Context, tx *sql.Tx, m migration) error {
	appliedAt := "timestamptz"
	if s.dialect == DialectPostgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))`, migrationLockClass); err != nil {
			return err
		}
	} else {
		appliedAt = "TEXT"
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		applied_at ` + appliedAt + ` NOT NULL)`
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return err
	}
	var done bool
	err := tx.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, m.version).Scan(&done)
	if err != nil || done {
		return err
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx,
		`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, m.version, timeValue{time.Now()})
	return err
}

// SchemaVersion returns the newest migration the database has recorded, or 0 if it has never
// been migrated.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	exists := `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')`
	if s.dialect == DialectPostgres {
		exists = `SELECT to_regclass('schema_migrations') IS NOT NULL`
	}
	var ok bool
	if err := s.db.QueryRowContext(ctx, exists).Scan(&ok); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	if !ok {
		return 0, nil
	}
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}
