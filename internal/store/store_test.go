package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Dialects(t, storetest.Run)
}

func TestOpen(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "gatehouse.db")
		s, err := store.Open(t.Context(), path, storetest.Secrets())
		if err != nil {
			t.Fatalf("Open: got %v, want nil", err)
		}
		defer s.Close()
		if got := s.Dialect(); got != store.DialectSQLite {
			t.Errorf("Dialect: got %q, want %q", got, store.DialectSQLite)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database file: got %v, want it to exist", err)
		}
	})
	t.Run("SQLiteMissingDirectory", func(t *testing.T) {
		// A mistyped path must fail, not quietly start an empty database in a new directory.
		dir := filepath.Join(t.TempDir(), "nonexistent", "dir")
		for _, url := range []string{filepath.Join(dir, "x.db"), "file:" + filepath.Join(dir, "x.db") + "?cache=private"} {
			s, err := store.Open(t.Context(), url, storetest.Secrets())
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q): got nil error, want one", url)
			}
			if !strings.Contains(err.Error(), dir+" of the SQLite database does not exist") {
				t.Errorf("Open(%q): got %q, want it to name the missing directory", url, err)
			}
			if _, err := os.Stat(filepath.Dir(dir)); !os.IsNotExist(err) {
				t.Fatalf("Open created %s (stat: %v)", filepath.Dir(dir), err)
			}
		}
	})
	t.Run("SQLiteOddPath", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "odd ?#% name.db")
		s, err := store.Open(t.Context(), path, storetest.Secrets())
		if err != nil {
			t.Fatalf("Open: got %v, want nil", err)
		}
		defer s.Close()
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate: got %v, want nil", err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database file: got %v, want it to exist", err)
		}
	})
	t.Run("SQLiteFileURI", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "gatehouse.db")
		s, err := store.Open(t.Context(), "file:"+path+"?cache=private", storetest.Secrets())
		if err != nil {
			t.Fatalf("Open: got %v, want nil", err)
		}
		defer s.Close()
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate: got %v, want nil", err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database file: got %v, want it to exist", err)
		}
	})
	t.Run("PostgresDialect", func(t *testing.T) {
		s, err := store.Open(t.Context(), storetest.PostgresURL(t), storetest.Secrets())
		if err != nil {
			t.Fatalf("Open: got %v, want nil", err)
		}
		defer s.Close()
		if got := s.Dialect(); got != store.DialectPostgres {
			t.Errorf("Dialect: got %q, want %q", got, store.DialectPostgres)
		}
	})
	t.Run("PostgresUnreachable", func(t *testing.T) {
		s, err := store.Open(t.Context(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", storetest.Secrets())
		if err == nil {
			s.Close()
			t.Fatal("Open: got nil error, want one")
		}
	})
}
