// Package storetest opens fresh, migrated stores for tests on every dialect the store speaks,
// and holds the contract suite each dialect must pass. SQLite always runs; PostgreSQL runs when
// TEST_DATABASE_URL names a database (a postgres:// URL), and is required when CI=true.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/store"
)

// secrets is the keyring of every store the package opens: one per test process, so stores
// opened on the same database agree.
var secrets = func() *secret.Keyring {
	key, err := secret.NewKey()
	if err != nil {
		panic(err)
	}
	r, err := secret.NewKeyring(key)
	if err != nil {
		panic(err)
	}
	return r
}()

// Secrets returns the keyring the package's stores seal with, for tests that open a store on
// the same database themselves.
func Secrets() *secret.Keyring { return secrets }

// Each runs f as the subtests "sqlite" and "postgres", each with a fresh migrated store. The
// postgres subtest follows OpenPostgres's rule: skipped without TEST_DATABASE_URL, failed
// without it under CI.
func Each(t *testing.T, f func(t *testing.T, s *store.Store)) {
	t.Helper()
	Dialects(t, func(t *testing.T, open func(*testing.T) *store.Store) { f(t, open(t)) })
}

// Dialects runs f as the subtests "sqlite" and "postgres", passing the function that opens a
// fresh migrated store on that dialect (OpenSQLite or OpenPostgres), for tests that need more
// than one store. The postgres subtest is skipped or failed, once, as Each says.
func Dialects(t *testing.T, f func(t *testing.T, open func(*testing.T) *store.Store)) {
	t.Helper()
	t.Run(store.DialectSQLite, func(t *testing.T) {
		f(t, func(t *testing.T) *store.Store { return OpenSQLite(t) })
	})
	t.Run(store.DialectPostgres, func(t *testing.T) {
		postgresBase(t)
		f(t, func(t *testing.T) *store.Store { return OpenPostgres(t) })
	})
}

// OpenSQLite returns a migrated store on a new SQLite file under t.TempDir(), closed when the
// test (or benchmark) ends.
func OpenSQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, SQLiteURL(t))
}

// OpenPostgres returns a migrated store on a new PostgreSQL schema (see PostgresURL), closed
// and dropped when the test ends.
func OpenPostgres(t testing.TB) *store.Store {
	t.Helper()
	return open(t, PostgresURL(t))
}

// SQLiteURL returns the path of a new, not yet created SQLite database under t.TempDir().
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "gatehouse.db")
}

// PostgresURL creates an empty schema in the database TEST_DATABASE_URL names and returns a URL
// whose connections use it (search_path), so tests never see each other's rows; the schema is
// dropped when the test ends. Without TEST_DATABASE_URL it skips t, or fails it when CI=true. A
// server that does not answer always fails t.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := postgresBase(t)
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatal("TEST_DATABASE_URL must be a postgres:// or postgresql:// URL")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open TEST_DATABASE_URL: %v", err)
	}
	admin.SetMaxOpenConns(1)
	schema := "t_" + randomHex(t, 8)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema on TEST_DATABASE_URL: %v", err)
	}
	// t.Context() is already cancelled when cleanups run.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// postgresBase returns TEST_DATABASE_URL, or skips t without it (fails it under CI).
func postgresBase(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_DATABASE_URL is required under CI")
		}
		t.Skip("TEST_DATABASE_URL is not set")
	}
	return base
}

// open opens, migrates and seals databaseURL, closing the store when the test ends.
func open(t testing.TB, databaseURL string) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), databaseURL, secrets)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if err := s.SealSecrets(t.Context()); err != nil {
		t.Fatalf("SealSecrets: %v", err)
	}
	return s
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random: %v", err)
	}
	return hex.EncodeToString(b)
}
