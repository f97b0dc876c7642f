package storetest

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/importer"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/store"
)

// importUser is a user to import, with one email account.
func importUser(email string, created time.Time) importer.User {
	id := uuid.New()
	return importer.User{
		User: auth.User{ID: id, Email: email, FirstName: "Im", LastName: "Ported", PasswordHash: "$2b$12$kept",
			CreatedAt: created, UpdatedAt: created.Add(time.Hour)},
		Accounts: []mailbox.EmailAccount{{ID: uuid.New(), UserID: id, EmailAddress: "box-" + email,
			Provider: mailbox.ProviderGmail, CreatedAt: created, UpdatedAt: created}},
	}
}

func testImportUsers(t *testing.T, s *store.Store) {
	ctx := t.Context()
	existing := newUser(t, s, "taken@example.com")
	a, b := importUser("a@example.com", t0.Add(-48*time.Hour)), importUser("b@example.com", t0)
	taken := importUser(existing.Email, t0)

	out, err := s.ImportUsers(ctx, []importer.User{a, b, taken}, true)
	must(t, "ImportUsers(dry run)", err)
	wantEqual(t, "dry-run outcomes", out, []importer.Outcome{importer.Inserted, importer.Inserted, importer.EmailTaken})
	wantErr(t, "FindUserByID after a dry run", errOnly(s.FindUserByID(ctx, a.ID)), auth.ErrUserNotFound)

	out, err = s.ImportUsers(ctx, []importer.User{a, b, taken}, false)
	must(t, "ImportUsers", err)
	wantEqual(t, "outcomes", out, []importer.Outcome{importer.Inserted, importer.Inserted, importer.EmailTaken})
	got, err := s.FindUserByID(ctx, a.ID)
	must(t, "FindUserByID", err)
	if got.PasswordHash != a.PasswordHash || !got.CreatedAt.Equal(a.CreatedAt) || !got.UpdatedAt.Equal(a.UpdatedAt) || got.SecurityStamp == "" {
		t.Errorf("imported user: got %+v, want the hash and times kept and a stamp made", got)
	}
	accounts, err := s.ListEmailAccounts(ctx, a.ID)
	must(t, "ListEmailAccounts", err)
	if len(accounts) != 1 || accounts[0].ID != a.Accounts[0].ID {
		t.Errorf("accounts: got %+v, want the imported one", accounts)
	}
	// The user that lost to an existing email has nothing written, its account neither.
	wantErr(t, "FindUserByID(taken)", errOnly(s.FindUserByID(ctx, taken.ID)), auth.ErrUserNotFound)

	// A re-run: the same ids are Exists and nothing changes, even with another hash.
	a2 := a
	a2.PasswordHash = "$2b$12$changed"
	out, err = s.ImportUsers(ctx, []importer.User{a2, b}, false)
	must(t, "ImportUsers(again)", err)
	wantEqual(t, "re-run outcomes", out, []importer.Outcome{importer.Exists, importer.Exists})
	got, err = s.FindUserByID(ctx, a.ID)
	must(t, "FindUserByID", err)
	if got.PasswordHash != a.PasswordHash {
		t.Errorf("re-run overwrote the hash")
	}
	accounts, _ = s.ListEmailAccounts(ctx, a.ID)
	if len(accounts) != 1 {
		t.Errorf("re-run accounts: got %d, want 1", len(accounts))
	}

	// A batch that fails midway (an account's time out of range, after its user's row was
	// written) leaves none of its users.
	c := importUser("c@example.com", t0)
	bad := importUser("d@example.com", t0)
	bad.Accounts[0].CreatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.ImportUsers(ctx, []importer.User{c, bad}, false); err == nil {
		t.Fatal("ImportUsers with a bad account: got nil, want an error")
	}
	for _, u := range []importer.User{c, bad} {
		wantErr(t, "FindUserByID after a failed batch", errOnly(s.FindUserByID(ctx, u.ID)), auth.ErrUserNotFound)
	}
}

func testListUsers(t *testing.T, s *store.Store) {
	ctx := t.Context()
	old := importUser("old_one@example.com", t0.Add(-48*time.Hour))
	recent := importUser("recent%x@example.org", t0)
	if _, err := s.ImportUsers(ctx, []importer.User{old, recent}, false); err != nil {
		t.Fatal(err)
	}
	ids := func(list []auth.User) []uuid.UUID {
		out := []uuid.UUID{}
		for _, u := range list {
			out = append(out, u.ID)
		}
		return out
	}
	all, err := s.ListUsers(ctx, "", time.Time{}, 0)
	must(t, "ListUsers", err)
	wantEqual(t, "all, oldest first", ids(all), []uuid.UUID{old.ID, recent.ID})
	byEmail, err := s.ListUsers(ctx, "ONE@", time.Time{}, 0)
	must(t, "ListUsers(email)", err)
	wantEqual(t, "email substring, any case", ids(byEmail), []uuid.UUID{old.ID})
	// % and _ match themselves.
	literal, err := s.ListUsers(ctx, "%x", time.Time{}, 0)
	must(t, "ListUsers(%x)", err)
	wantEqual(t, "LIKE wildcards escaped", ids(literal), []uuid.UUID{recent.ID})
	none, err := s.ListUsers(ctx, "o_d", time.Time{}, 0)
	must(t, "ListUsers(o_d)", err)
	wantEqual(t, "underscore escaped", ids(none), []uuid.UUID{})
	since, err := s.ListUsers(ctx, "", t0.Add(-time.Hour), 0)
	must(t, "ListUsers(since)", err)
	wantEqual(t, "created since", ids(since), []uuid.UUID{recent.ID})
	limited, err := s.ListUsers(ctx, "", time.Time{}, 1)
	must(t, "ListUsers(limit)", err)
	wantEqual(t, "limit", ids(limited), []uuid.UUID{old.ID})
}
