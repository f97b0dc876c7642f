package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"

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
			t.Run("SecurityStampBackfill", func(t *testing.T) {
				testSecurityStampBackfill(t, open(t, d.url(t)))
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
const latest = 10

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

// testSecurityStampBackfill checks migration 0003 on users made before it: each gets a stamp
// of its own, which a sign-in can then name and a password change replaces.
func testSecurityStampBackfill(t *testing.T, s *store.Store) {
	ctx := t.Context()
	if err := store.MigrateTo(ctx, s, 2); err != nil {
		t.Fatalf("MigrateTo(2): %v", err)
	}
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	ids := []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}
	for i, id := range ids {
		if err := store.InsertUserV2(ctx, s, id, fmt.Sprintf("old%d@example.com", i), "$2a$04$old", at); err != nil {
			t.Fatalf("insert user in schema 2: %v", err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		u, err := s.FindUserByID(ctx, id)
		if err != nil {
			t.Fatalf("FindUserByID: %v", err)
		}
		if len(u.SecurityStamp) != 32 || seen[u.SecurityStamp] {
			t.Errorf("user %s: got stamp %q, want 32 hex digits of its own", u.Email, u.SecurityStamp)
		}
		seen[u.SecurityStamp] = true
	}
	u, _ := s.FindUserByID(ctx, ids[0])
	sess := &auth.Session{ID: uuid.New(), UserID: u.ID, CreatedAt: at, LastUsedAt: at, ExpiresAt: at.Add(time.Hour)}
	tok := &auth.RefreshToken{Selector: "backfill", SessionID: sess.ID, VerifierHash: []byte("v"), SuccessorSalt: []byte("s"), CreatedAt: at, ExpiresAt: sess.ExpiresAt}
	if err := s.CreateSession(ctx, sess, tok, u.SecurityStamp); err != nil {
		t.Fatalf("CreateSession with the backfilled stamp: got %v, want nil", err)
	}
	if err := s.ChangePassword(ctx, u.ID, u.SecurityStamp, "$2a$04$new", at, sess.ID); err != nil {
		t.Fatalf("ChangePassword from the backfilled stamp: got %v, want nil", err)
	}
	if err := s.ChangePassword(ctx, u.ID, u.SecurityStamp, "$2a$04$newer", at, sess.ID); !errors.Is(err, auth.ErrCredentialsChanged) {
		t.Fatalf("ChangePassword from the backfilled stamp again: got %v, want ErrCredentialsChanged", err)
	}
}
