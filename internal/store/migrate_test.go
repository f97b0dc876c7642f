package store_test

import (
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func TestMigrate(t *testing.T) {
	dialects := []struct {
		name string
		url  func(t testing.TB) string
	}{
		{store.DialectSQLite, storetest.SQLiteURL},
		{store.DialectPostgres, storetest.PostgresURL},
	}
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			t.Run("Idempotent", func(t *testing.T) {
				s := open(t, d.url(t))
				if v := version(t, s); v != 0 {
					t.Fatalf("SchemaVersion before Migrate: got %d, want 0", v)
				}
				for range 2 {
					if err := s.Migrate(t.Context()); err != nil {
						t.Fatalf("Migrate: got %v, want nil", err)
					}
					if v := version(t, s); v != latest {
						t.Fatalf("SchemaVersion: got %d, want %d", v, latest)
					}
				}
			})
			t.Run("Concurrent", func(t *testing.T) {
				// Every migration creates its tables without IF NOT EXISTS and records its
				// version under a primary key, so applying one twice would fail.
				url := d.url(t)
				const n = 8
				errs := make([]error, n)
				var wg sync.WaitGroup
				for i := range n {
					s := open(t, url)
					wg.Go(func() { errs[i] = s.Migrate(t.Context()) })
				}
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Errorf("Migrate %d of %d: got %v, want nil", i+1, n, err)
					}
				}
				if v := version(t, open(t, url)); v != latest {
					t.Errorf("SchemaVersion: got %d, want %d", v, latest)
				}
			})
		})
	}
}

// latest is the newest migration's version.
const latest = 4

func open(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), url, storetest.Secrets())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func version(t *testing.T, s *store.Store) int {
	t.Helper()
	v, err := s.SchemaVersion(t.Context())
	if err != nil {
		t.Fatalf("SchemaVersion: %v", err)
	}
	return v
}
