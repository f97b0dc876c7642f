package storetest

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/store"
)

// testSecurityStamp checks that the store makes every stamp itself: one per user, never
// chosen by the caller, changed by a password change and by no other write.
func testSecurityStamp(t *testing.T, s *store.Store) {
	t.Run("FreshPerUser", func(t *testing.T) {
		seen := map[string]bool{}
		for _, email := range []string{"one@example.com", "two@example.com", "three@example.com"} {
			u := &auth.User{ID: uuid.New(), Email: email, PasswordHash: userHash, SecurityStamp: "chosen", CreatedAt: t0, UpdatedAt: t0}
			must(t, "CreateUser", s.CreateUser(t.Context(), u))
			if u.SecurityStamp == "chosen" || len(u.SecurityStamp) < 32 || seen[u.SecurityStamp] {
				t.Errorf("CreateUser %s: got stamp %q, want a fresh random one (at least 128 bits of hex) the caller did not choose", email, u.SecurityStamp)
			}
			seen[u.SecurityStamp] = true
			got, err := s.FindUserByID(t.Context(), u.ID)
			must(t, "FindUserByID", err)
			if got.SecurityStamp != u.SecurityStamp {
				t.Errorf("FindUserByID: got stamp %q, want the one CreateUser set, %q", got.SecurityStamp, u.SecurityStamp)
			}
		}
	})
	t.Run("OnlyCredentialChangesMoveIt", func(t *testing.T) {
		u := newUser(t, s, "stamp@example.com")
		stamp := func() string {
			t.Helper()
			got, err := s.FindUserByID(t.Context(), u.ID)
			must(t, "FindUserByID", err)
			return got.SecurityStamp
		}
		renamed := *u
		renamed.FirstName, renamed.UpdatedAt, renamed.SecurityStamp = "Grace", t0.Add(time.Minute), "ignored"
		must(t, "UpdateUser", s.UpdateUser(t.Context(), &renamed))
		must(t, "UpdatePasswordHash", s.UpdatePasswordHash(t.Context(), u.ID, userHash, "rehashed"))
		newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		if got := stamp(); got != u.SecurityStamp {
			t.Fatalf("stamp after a profile edit, a rehash and a sign-in: got %q, want it unchanged, %q", got, u.SecurityStamp)
		}
		must(t, "ChangePassword", s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "new-hash", t0, uuid.New()))
		first := stamp()
		if first == u.SecurityStamp {
			t.Fatalf("stamp after a password change: got %q, want a new one", first)
		}
		// Even a change back to the same hash is a new credential version.
		must(t, "ChangePassword", s.ChangePassword(t.Context(), u.ID, first, "new-hash", t0, uuid.New()))
		if second := stamp(); second == first || second == u.SecurityStamp {
			t.Errorf("stamp after a second change: got %q, want one never seen before (had %q, %q)", second, u.SecurityStamp, first)
		}
	})
}
