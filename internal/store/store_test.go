package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Dialects(t, storetest.Run)
}

func TestOpen(t *testing.T) {
	t.Run("SQLiteCreatesDirectory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a", "b", "gatehouse.db")
		s, err := store.Open(t.Context(), path)
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
	t.Run("SQLiteOddPath", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "odd ?#% name.db")
		s, err := store.Open(t.Context(), path)
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
		s, err := store.Open(t.Context(), "file:"+path+"?cache=private")
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
		s, err := store.Open(t.Context(), storetest.PostgresURL(t))
		if err != nil {
			t.Fatalf("Open: got %v, want nil", err)
		}
		defer s.Close()
		if got := s.Dialect(); got != store.DialectPostgres {
			t.Errorf("Dialect: got %q, want %q", got, store.DialectPostgres)
		}
	})
	t.Run("PostgresUnreachable", func(t *testing.T) {
		s, err := store.Open(t.Context(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
		if err == nil {
			s.Close()
			t.Fatal("Open: got nil error, want one")
		}
	})
}
