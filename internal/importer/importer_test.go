package importer_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/importer"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

var (
	adaFirst  = uuid.MustParse("6f1c2d4e8a9b4c3d9e0f1a2b3c4d5e6f") // Ada@x.com, created first
	adaRecent = uuid.MustParse("0b7e5a3c2d1f4e6a8b9c0d1e2f3a4b5c") // ada@x.com, updated last
)

func readFixture(t *testing.T) []importer.Record {
	t.Helper()
	records, err := importer.ReadArticle(t.Context(), fixture)
	if err != nil {
		t.Fatal(err)
	}
	return records
}

// runImport imports records into s and returns the summary and the report lines.
func runImport(t *testing.T, s *store.Store, records []importer.Record, o importer.Options) (importer.Summary, []string) {
	t.Helper()
	var lines []string
	o.Store = s
	o.Report = func(p importer.Problem) { lines = append(lines, p.String()) }
	sum, err := importer.Run(t.Context(), records, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return sum, lines
}

func exists(t *testing.T, s *store.Store, id uuid.UUID) bool {
	t.Helper()
	_, err := s.FindUserByID(t.Context(), id)
	if err != nil && !errors.Is(err, auth.ErrUserNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func TestRun_Fixture(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sum, lines := runImport(t, s, readFixture(t), importer.Options{OnConflict: importer.ConflictRecent})
		if sum.Read != 13 || sum.Imported != 9 || sum.Skipped != 4 || sum.NoPassword != 1 || sum.Accounts != 2 {
			t.Errorf("summary: got %+v, want 13 read, 9 imported (one without a password), 4 skipped, 2 accounts", sum)
		}
		for _, want := range []string{
			"id=c3d4e5f6a7b84c9d8e1f2a3b4c5d6e7f invalid_email:",
			"id=e5f6a7b8c9d04e1f8a2b3c4d5e6f7a8b invalid_name:",
			"id=f6a7b8c9d0e14f2a9b3c4d5e6f7a8b9c unknown_hash:",
			"id=3.141592653584798e+31 bad_row:",
			"id=6f1c2d4e8a9b4c3d9e0f1a2b3c4d5e6f email_conflict:",
		} {
			if !strings.Contains(strings.Join(lines, "\n"), want) {
				t.Errorf("report: no line %q in\n%s", want, strings.Join(lines, "\n"))
			}
		}
		for _, l := range lines {
			if strings.Contains(l, "$2b$") || strings.Contains(l, "$pbkdf2") || strings.Contains(l, "$argon2") {
				t.Errorf("a report line shows a hash: %s", l)
			}
		}
		legacy, err := s.FindUserByEmail(t.Context(), "legacy@example.com")
		if err != nil || legacy.PasswordHash != auth.UnusablePasswordHash {
			t.Errorf("md5-crypt user: got %v %v, want imported with the unusable hash", legacy, err)
		}
		carol, err := s.FindUserByEmail(t.Context(), "carol@example.com")
		if err != nil || carol.CreatedAt != time.Date(2024, 4, 1, 12, 0, 0, 0, time.UTC) || !strings.HasPrefix(carol.PasswordHash, "$2b$12$") {
			t.Errorf("carol: got %+v %v, want the email normalised, created_at as UTC and the hash kept", carol, err)
		}
	})
}

func TestRun_OnConflict(t *testing.T) {
	for _, c := range []struct {
		policy     importer.OnConflict
		first, rec bool
	}{
		{importer.ConflictSkip, false, false},
		{importer.ConflictFirst, true, false},
		{importer.ConflictRecent, false, true},
	} {
		t.Run(string(c.policy), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				_, lines := runImport(t, s, readFixture(t), importer.Options{OnConflict: c.policy})
				if got := exists(t, s, adaFirst); got != c.first {
					t.Errorf("Ada created first imported: got %t, want %t", got, c.first)
				}
				if got := exists(t, s, adaRecent); got != c.rec {
					t.Errorf("ada updated last imported: got %t, want %t", got, c.rec)
				}
				n := 0
				for _, l := range lines {
					if strings.Contains(l, "email_conflict") {
						n++
					}
				}
				want := map[importer.OnConflict]int{importer.ConflictSkip: 2}[c.policy]
				if want == 0 {
					want = 1
				}
				if n != want {
					t.Errorf("conflict lines: got %d, want %d", n, want)
				}
			})
		})
	}
}

func TestRun_DryRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sum, _ := runImport(t, s, readFixture(t), importer.Options{DryRun: true, OnConflict: importer.ConflictRecent})
		if !sum.DryRun || sum.Imported != 9 {
			t.Errorf("summary: got %+v, want 9 that would be imported", sum)
		}
		if n := countUsers(t, s); n != 0 {
			t.Errorf("users after a dry run: got %d, want 0", n)
		}
	})
}

// A re-run skips every user already imported (same id) and writes nothing twice; a user
// who changed their password since keeps the new one.
func TestRun_Idempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		runImport(t, s, readFixture(t), importer.Options{OnConflict: importer.ConflictRecent})
		grace, _ := s.FindUserByEmail(t.Context(), "grace@example.com")
		if err := s.ChangePassword(t.Context(), grace.ID, grace.SecurityStamp, "$2a$10$new", time.Now(), uuid.Nil); err != nil {
			t.Fatal(err)
		}
		sum, _ := runImport(t, s, readFixture(t), importer.Options{OnConflict: importer.ConflictRecent})
		if sum.Imported != 0 || sum.Existing != 9 {
			t.Errorf("re-run: got %+v, want 0 imported and 9 already there", sum)
		}
		if n := countUsers(t, s); n != 9 {
			t.Errorf("users: got %d, want 9", n)
		}
		accounts, _ := s.ListEmailAccounts(t.Context(), adaRecent)
		if len(accounts) != 1 {
			t.Errorf("ada's accounts after a re-run: got %d, want 1", len(accounts))
		}
		grace, _ = s.FindUserByEmail(t.Context(), "grace@example.com")
		if grace.PasswordHash != "$2a$10$new" {
			t.Errorf("re-run overwrote a password changed since")
		}
	})
}

// An import interrupted between batches keeps the batches before, each user whole, and a
// re-run completes it.
func TestRun_Interrupted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		records := readFixture(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		_, err := importer.Run(ctx, records, importer.Options{Store: s, BatchSize: 2, OnConflict: importer.ConflictRecent,
			Progress: func(importer.Progress) { cancel() }})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run: got %v, want context.Canceled", err)
		}
		if n := countUsers(t, s); n != 2 {
			t.Errorf("users after the first batch: got %d, want 2", n)
		}
		for _, r := range records {
			if r.IDProblem != "" || !exists(t, s, r.ID) {
				continue
			}
			accounts, err := s.ListEmailAccounts(t.Context(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(accounts) != len(r.Accounts) {
				t.Errorf("user %s: got %d accounts, want %d", r.Ref, len(accounts), len(r.Accounts))
			}
		}
		sum, _ := runImport(t, s, records, importer.Options{OnConflict: importer.ConflictRecent})
		if sum.Imported != 7 || sum.Existing != 2 {
			t.Errorf("re-run: got %+v, want 7 imported, 2 already there", sum)
		}
	})
}
