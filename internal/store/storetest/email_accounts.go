package storetest

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/store"
)

// newEmailAccount connects address to userID, created at t0.
func newEmailAccount(t *testing.T, s *store.Store, userID uuid.UUID, address string) *mailbox.EmailAccount {
	t.Helper()
	a := &mailbox.EmailAccount{
		ID: uuid.New(), UserID: userID, EmailAddress: address, Provider: mailbox.ProviderIMAP,
		DisplayName: "Work", CreatedAt: t0, UpdatedAt: t0,
	}
	must(t, "CreateEmailAccount "+address, s.CreateEmailAccount(t.Context(), a))
	return a
}

func testEmailAccount(t *testing.T, s *store.Store) {
	u := newUser(t, s, "owner@example.com")
	other := newUser(t, s, "other@example.com")
	t.Run("RoundTrip", func(t *testing.T) {
		a := newEmailAccount(t, s, u.ID, "round@example.com")
		got, err := s.FindEmailAccount(t.Context(), u.ID, a.ID)
		must(t, "FindEmailAccount", err)
		wantEqual(t, "FindEmailAccount", got, a)
	})
	t.Run("Exists", func(t *testing.T) {
		a := newEmailAccount(t, s, u.ID, "twice@example.com")
		again := *a
		again.ID = uuid.New()
		wantErr(t, "CreateEmailAccount", s.CreateEmailAccount(t.Context(), &again), mailbox.ErrEmailAccountExists)
		newEmailAccount(t, s, other.ID, a.EmailAddress) // another user may connect it too
	})
	t.Run("UnknownUser", func(t *testing.T) {
		a := &mailbox.EmailAccount{ID: uuid.New(), UserID: uuid.New(), EmailAddress: "x@example.com", Provider: mailbox.ProviderOther, CreatedAt: t0, UpdatedAt: t0}
		wantErr(t, "CreateEmailAccount", s.CreateEmailAccount(t.Context(), a), auth.ErrUserNotFound)
	})
	t.Run("ListOldestFirst", func(t *testing.T) {
		owner := newUser(t, s, "lister@example.com")
		var want []mailbox.EmailAccount
		for i, address := range []string{"c@example.com", "a@example.com", "b@example.com"} {
			a := &mailbox.EmailAccount{
				ID: uuid.New(), UserID: owner.ID, EmailAddress: address, Provider: mailbox.Providers[i],
				CreatedAt: t0.Add(time.Duration(i) * time.Second), UpdatedAt: t0,
			}
			must(t, "CreateEmailAccount", s.CreateEmailAccount(t.Context(), a))
			want = append(want, *a)
		}
		newEmailAccount(t, s, other.ID, "not-mine@example.com")
		got, err := s.ListEmailAccounts(t.Context(), owner.ID)
		must(t, "ListEmailAccounts", err)
		wantEqual(t, "ListEmailAccounts", got, want)
		got, err = s.ListEmailAccounts(t.Context(), uuid.New())
		must(t, "ListEmailAccounts(nobody)", err)
		if len(got) != 0 {
			t.Errorf("ListEmailAccounts(nobody): got %d accounts, want 0", len(got))
		}
	})
	t.Run("Update", func(t *testing.T) {
		a := newEmailAccount(t, s, u.ID, "rename@example.com")
		changed := *a
		changed.DisplayName, changed.UpdatedAt = "Personal", t0.Add(time.Hour)
		changed.EmailAddress, changed.Provider = "ignored@example.com", mailbox.ProviderGmail
		must(t, "UpdateEmailAccount", s.UpdateEmailAccount(t.Context(), &changed))
		got, err := s.FindEmailAccount(t.Context(), u.ID, a.ID)
		must(t, "FindEmailAccount", err)
		want := *a
		want.DisplayName, want.UpdatedAt = changed.DisplayName, changed.UpdatedAt
		wantEqual(t, "updated account", got, &want)
	})
	t.Run("Delete", func(t *testing.T) {
		a := newEmailAccount(t, s, u.ID, "drop@example.com")
		must(t, "DeleteEmailAccount", s.DeleteEmailAccount(t.Context(), u.ID, a.ID))
		wantErr(t, "FindEmailAccount", errOnly(s.FindEmailAccount(t.Context(), u.ID, a.ID)), mailbox.ErrEmailAccountNotFound)
		newEmailAccount(t, s, u.ID, a.EmailAddress) // the address may be connected again
	})
	t.Run("AnotherUsersAccount", func(t *testing.T) {
		a := newEmailAccount(t, s, other.ID, "private@example.com")
		wantErr(t, "FindEmailAccount", errOnly(s.FindEmailAccount(t.Context(), u.ID, a.ID)), mailbox.ErrEmailAccountNotFound)
		hijack := *a
		hijack.UserID, hijack.DisplayName = u.ID, "Mine now"
		wantErr(t, "UpdateEmailAccount", s.UpdateEmailAccount(t.Context(), &hijack), mailbox.ErrEmailAccountNotFound)
		wantErr(t, "DeleteEmailAccount", s.DeleteEmailAccount(t.Context(), u.ID, a.ID), mailbox.ErrEmailAccountNotFound)
		got, err := s.FindEmailAccount(t.Context(), other.ID, a.ID)
		must(t, "FindEmailAccount(owner)", err)
		wantEqual(t, "account after another user's attempts", got, a)
	})
	t.Run("NotFound", func(t *testing.T) {
		missing := &mailbox.EmailAccount{ID: uuid.New(), UserID: u.ID, UpdatedAt: t0}
		wantErr(t, "FindEmailAccount", errOnly(s.FindEmailAccount(t.Context(), u.ID, missing.ID)), mailbox.ErrEmailAccountNotFound)
		wantErr(t, "UpdateEmailAccount", s.UpdateEmailAccount(t.Context(), missing), mailbox.ErrEmailAccountNotFound)
		wantErr(t, "DeleteEmailAccount", s.DeleteEmailAccount(t.Context(), u.ID, missing.ID), mailbox.ErrEmailAccountNotFound)
	})
}
