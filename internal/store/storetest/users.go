package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/store"
)

func testCreateUser(t *testing.T, s *store.Store) {
	t.Run("RoundTrip", func(t *testing.T) {
		u := newUser(t, s, "ada@example.com")
		byID, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		wantEqual(t, "FindUserByID", byID, u)
		byEmail, err := s.FindUserByEmail(t.Context(), u.Email)
		must(t, "FindUserByEmail", err)
		wantEqual(t, "FindUserByEmail", byEmail, u)
	})
	t.Run("EmailTaken", func(t *testing.T) {
		first := newUser(t, s, "taken@example.com")
		second := &auth.User{ID: uuid.New(), Email: first.Email, FirstName: "Other", PasswordHash: "h", CreatedAt: t0, UpdatedAt: t0}
		wantErr(t, "CreateUser", s.CreateUser(t.Context(), second), auth.ErrEmailTaken)
		got, err := s.FindUserByEmail(t.Context(), first.Email)
		must(t, "FindUserByEmail", err)
		wantEqual(t, "user after conflict", got, first)
		wantErr(t, "FindUserByID(second)", errOnly(s.FindUserByID(t.Context(), second.ID)), auth.ErrUserNotFound)
	})
	t.Run("Concurrent", func(t *testing.T) {
		const n = 30
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				u := &auth.User{ID: uuid.New(), Email: "race@example.com", PasswordHash: "h", CreatedAt: t0, UpdatedAt: t0}
				errs[i] = s.CreateUser(t.Context(), u)
			})
		}
		wg.Wait()
		created, taken := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				created++
			case errors.Is(err, auth.ErrEmailTaken):
				taken++
			default:
				t.Errorf("CreateUser: got error %v, want nil or ErrEmailTaken", err)
			}
		}
		if created != 1 || taken != n-1 {
			t.Errorf("of %d concurrent CreateUser: got %d created and %d taken, want 1 and %d", n, created, taken, n-1)
		}
	})
}

func testFindUser(t *testing.T, s *store.Store) {
	newUser(t, s, "present@example.com")
	t.Run("ByIDNotFound", func(t *testing.T) {
		wantErr(t, "FindUserByID", errOnly(s.FindUserByID(t.Context(), uuid.New())), auth.ErrUserNotFound)
	})
	t.Run("ByEmailNotFound", func(t *testing.T) {
		wantErr(t, "FindUserByEmail", errOnly(s.FindUserByEmail(t.Context(), "absent@example.com")), auth.ErrUserNotFound)
	})
}

func testMarkFirstSignIn(t *testing.T, s *store.Store) {
	t.Run("SetsOnceAndOnlyOnce", func(t *testing.T) {
		u := newUser(t, s, "first@example.com")
		if u.FirstSignedInAt != nil {
			t.Fatalf("a new user: got FirstSignedInAt %v, want nil", u.FirstSignedInAt)
		}
		at := t0.Add(time.Minute)
		must(t, "MarkFirstSignIn", s.MarkFirstSignIn(t.Context(), u.ID, at))
		// A second mark (a later, or concurrent, first sign-in) is no error and keeps the first.
		must(t, "MarkFirstSignIn again", s.MarkFirstSignIn(t.Context(), u.ID, at.Add(time.Hour)))
		want := *u
		want.FirstSignedInAt = &at
		byEmail, err := s.FindUserByEmail(t.Context(), u.Email)
		must(t, "FindUserByEmail", err)
		wantEqual(t, "FindUserByEmail after the mark", byEmail, &want)
		byID, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		wantEqual(t, "FindUserByID after the mark", byID, &want)
	})
	t.Run("TouchesNoOtherUser", func(t *testing.T) {
		a, b := newUser(t, s, "marked@example.com"), newUser(t, s, "unmarked@example.com")
		must(t, "MarkFirstSignIn", s.MarkFirstSignIn(t.Context(), a.ID, t0))
		got, err := s.FindUserByID(t.Context(), b.ID)
		must(t, "FindUserByID", err)
		wantEqual(t, "the other user", got, b)
	})
	t.Run("UserGone", func(t *testing.T) {
		wantErr(t, "MarkFirstSignIn", s.MarkFirstSignIn(t.Context(), uuid.New(), t0), auth.ErrUserNotFound)
	})
}

func testUpdateUser(t *testing.T, s *store.Store) {
	t.Run("SavesNamesAndUpdatedAtOnly", func(t *testing.T) {
		u := newUser(t, s, "update@example.com")
		changed := *u
		changed.FirstName, changed.LastName = "Grace", "Hopper"
		changed.UpdatedAt = t0.Add(time.Hour)
		changed.Email, changed.PasswordHash = "ignored@example.com", "ignored-hash"
		changed.CreatedAt = t0.Add(-time.Hour)
		must(t, "UpdateUser", s.UpdateUser(t.Context(), &changed))
		got, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		want := *u
		want.FirstName, want.LastName, want.UpdatedAt = changed.FirstName, changed.LastName, changed.UpdatedAt
		wantEqual(t, "updated user", got, &want)
	})
	t.Run("KeepsPasswordChangedMeanwhile", func(t *testing.T) {
		u := newUser(t, s, "stale@example.com")
		read, err := s.FindUserByID(t.Context(), u.ID) // a profile edit reads the user ...
		must(t, "FindUserByID", err)
		must(t, "ChangePassword", s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "changed-hash", t0.Add(time.Minute), uuid.New()))
		changed, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		read.FirstName, read.UpdatedAt = "Grace", t0.Add(time.Hour) // ... and saves it after the change
		must(t, "UpdateUser", s.UpdateUser(t.Context(), read))
		got, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		if got.PasswordHash != "changed-hash" || got.SecurityStamp != changed.SecurityStamp || got.FirstName != "Grace" {
			t.Errorf("user: got hash %q, stamp %q and first name %q, want %q, %q and %q",
				got.PasswordHash, got.SecurityStamp, got.FirstName, "changed-hash", changed.SecurityStamp, "Grace")
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		u := &auth.User{ID: uuid.New(), Email: "ghost@example.com", UpdatedAt: t0}
		wantErr(t, "UpdateUser", s.UpdateUser(t.Context(), u), auth.ErrUserNotFound)
	})
}

func testUpdatePasswordHash(t *testing.T, s *store.Store) {
	t.Run("Swaps", func(t *testing.T) {
		u := newUser(t, s, "rehash@example.com")
		must(t, "UpdatePasswordHash", s.UpdatePasswordHash(t.Context(), u.ID, userHash, "rehashed"))
		got, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		want := *u
		want.PasswordHash = "rehashed"
		wantEqual(t, "user", got, &want)
	})
	t.Run("CredentialsChanged", func(t *testing.T) {
		u := newUser(t, s, "changed@example.com")
		must(t, "ChangePassword", s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "changed-hash", t0, uuid.New()))
		err := s.UpdatePasswordHash(t.Context(), u.ID, userHash, "rehashed")
		wantErr(t, "UpdatePasswordHash", err, auth.ErrCredentialsChanged)
		got, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		if got.PasswordHash != "changed-hash" {
			t.Errorf("hash: got %q, want %q", got.PasswordHash, "changed-hash")
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		err := s.UpdatePasswordHash(t.Context(), uuid.New(), userHash, "rehashed")
		wantErr(t, "UpdatePasswordHash", err, auth.ErrUserNotFound)
	})
	t.Run("Concurrent", func(t *testing.T) {
		const n = 20
		u := newUser(t, s, "race@example.com")
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs[i] = s.UpdatePasswordHash(t.Context(), u.ID, userHash, fmt.Sprint("rehash-", i)) })
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won < 0:
				won = i
			case err == nil:
				t.Errorf("UpdatePasswordHash %d and %d: both got nil, want one ErrCredentialsChanged", won, i)
			case !errors.Is(err, auth.ErrCredentialsChanged):
				t.Errorf("UpdatePasswordHash: got error %v, want nil or ErrCredentialsChanged", err)
			}
		}
		if won < 0 {
			t.Fatal("UpdatePasswordHash: every call failed, want one to succeed")
		}
		got, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		if want := fmt.Sprint("rehash-", won); got.PasswordHash != want {
			t.Errorf("hash: got %q, want the winner's %q", got.PasswordHash, want)
		}
	})
}

func testChangePassword(t *testing.T, s *store.Store) {
	t.Run("DeletesOtherSessions", func(t *testing.T) {
		u := newUser(t, s, "change@example.com")
		other := newUser(t, s, "bystander@example.com")
		keep, keepTok := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		_, goneTok := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		otherSess, _ := newSession(t, s, other.ID, t0, t0.Add(time.Hour))

		now := t0.Add(time.Minute)
		must(t, "ChangePassword", s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "new-hash", now, keep.ID))

		got, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		if got.PasswordHash != "new-hash" || !got.UpdatedAt.Equal(now) {
			t.Errorf("user: got hash %q updated %v, want %q and %v", got.PasswordHash, got.UpdatedAt, "new-hash", now)
		}
		if got.SecurityStamp == u.SecurityStamp || got.SecurityStamp == "" {
			t.Errorf("security stamp: got %q after the change, want a new one (it was %q)", got.SecurityStamp, u.SecurityStamp)
		}
		sessions, err := s.ListSessions(t.Context(), u.ID, t0)
		must(t, "ListSessions", err)
		wantEqual(t, "sessions left", sessionIDs(sessions), []uuid.UUID{keep.ID})
		must(t, "FindRefreshToken(kept)", errOnly(s.FindRefreshToken(t.Context(), keepTok.Selector)))
		wantErr(t, "FindRefreshToken(deleted)", errOnly(s.FindRefreshToken(t.Context(), goneTok.Selector)), auth.ErrRefreshTokenNotFound)
		must(t, "FindSession(other user's)", errOnly(s.FindSession(t.Context(), otherSess.ID)))
	})
	t.Run("StaleStamp", func(t *testing.T) {
		u := newUser(t, s, "stale-stamp@example.com")
		sess, tok := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		must(t, "ChangePassword", s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "first-hash", t0, uuid.New()))
		before, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		_, tok2 := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		err = s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "second-hash", t0.Add(time.Minute), uuid.New())
		wantErr(t, "ChangePassword(stale stamp)", err, auth.ErrCredentialsChanged)
		after, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		wantEqual(t, "user after the refused change", after, before)
		must(t, "FindRefreshToken(session kept by the refused change)", errOnly(s.FindRefreshToken(t.Context(), tok2.Selector)))
		wantErr(t, "FindSession(revoked by the first change)", errOnly(s.FindSession(t.Context(), sess.ID)), auth.ErrSessionNotFound)
		wantErr(t, "FindRefreshToken", errOnly(s.FindRefreshToken(t.Context(), tok.Selector)), auth.ErrRefreshTokenNotFound)
	})
	t.Run("NotFound", func(t *testing.T) {
		err := s.ChangePassword(t.Context(), uuid.New(), "stamp", "hash", t0, uuid.New())
		wantErr(t, "ChangePassword", err, auth.ErrUserNotFound)
	})
}

func testDeleteUser(t *testing.T, s *store.Store) {
	t.Run("Cascade", func(t *testing.T) {
		u := newUser(t, s, "leaving@example.com")
		other := newUser(t, s, "staying@example.com")
		sess, tok := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		acct := newEmailAccount(t, s, u.ID, "inbox@example.com")
		otherSess, otherTok := newSession(t, s, other.ID, t0, t0.Add(time.Hour))
		otherAcct := newEmailAccount(t, s, other.ID, "inbox@example.com")

		must(t, "DeleteUser", s.DeleteUser(t.Context(), u.ID, u.SecurityStamp))

		ctx := t.Context()
		wantErr(t, "FindUserByID", errOnly(s.FindUserByID(ctx, u.ID)), auth.ErrUserNotFound)
		wantErr(t, "FindSession", errOnly(s.FindSession(ctx, sess.ID)), auth.ErrSessionNotFound)
		wantErr(t, "FindRefreshToken", errOnly(s.FindRefreshToken(ctx, tok.Selector)), auth.ErrRefreshTokenNotFound)
		wantErr(t, "FindEmailAccount", errOnly(s.FindEmailAccount(ctx, u.ID, acct.ID)), mailbox.ErrEmailAccountNotFound)
		must(t, "FindSession(other user's)", errOnly(s.FindSession(ctx, otherSess.ID)))
		must(t, "FindRefreshToken(other user's)", errOnly(s.FindRefreshToken(ctx, otherTok.Selector)))
		must(t, "FindEmailAccount(other user's)", errOnly(s.FindEmailAccount(ctx, other.ID, otherAcct.ID)))
		newUser(t, s, u.Email) // the email is free again
	})
	t.Run("StaleStamp", func(t *testing.T) {
		u := newUser(t, s, "confirmed-before@example.com")
		sess, _ := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		must(t, "ChangePassword", s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "new-hash", t0, sess.ID))
		wantErr(t, "DeleteUser(stale stamp)", s.DeleteUser(t.Context(), u.ID, u.SecurityStamp), auth.ErrCredentialsChanged)
		must(t, "FindUserByID", errOnly(s.FindUserByID(t.Context(), u.ID)))
		must(t, "FindSession", errOnly(s.FindSession(t.Context(), sess.ID)))
	})
	t.Run("NotFound", func(t *testing.T) {
		wantErr(t, "DeleteUser", s.DeleteUser(t.Context(), uuid.New(), "stamp"), auth.ErrUserNotFound)
	})
}

// errOnly returns the error of a call whose value the test does not need.
func errOnly[T any](_ T, err error) error { return err }
