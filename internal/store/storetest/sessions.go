package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/store"
)

func testCreateSession(t *testing.T, s *store.Store) {
	u := newUser(t, s, "sessions@example.com")
	t.Run("RoundTrip", func(t *testing.T) {
		sess, tok := newSession(t, s, u.ID, t0.Add(time.Minute), t0.Add(time.Hour))
		got, err := s.FindSession(t.Context(), sess.ID)
		must(t, "FindSession", err)
		wantEqual(t, "FindSession", got, sess)
		gotTok, err := s.FindRefreshToken(t.Context(), tok.Selector)
		must(t, "FindRefreshToken", err)
		wantEqual(t, "FindRefreshToken", gotTok, tok)
	})
	t.Run("UnknownUser", func(t *testing.T) {
		sess := &auth.Session{ID: uuid.New(), UserID: uuid.New(), CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0}
		tok := newToken(t, sess.ID, t0)
		wantErr(t, "CreateSession", s.CreateSession(t.Context(), sess, tok, u.SecurityStamp), auth.ErrUserNotFound)
		wantErr(t, "FindRefreshToken", errOnly(s.FindRefreshToken(t.Context(), tok.Selector)), auth.ErrRefreshTokenNotFound)
	})
	t.Run("CredentialsChanged", func(t *testing.T) {
		changed := newUser(t, s, "changed@example.com")
		must(t, "ChangePassword", s.ChangePassword(t.Context(), changed.ID, changed.SecurityStamp, "new-hash", t0, uuid.New()))
		sess := &auth.Session{ID: uuid.New(), UserID: changed.ID, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		tok := newToken(t, sess.ID, sess.ExpiresAt)
		wantErr(t, "CreateSession(old stamp)", s.CreateSession(t.Context(), sess, tok, changed.SecurityStamp), auth.ErrCredentialsChanged)
		wantErr(t, "FindSession", errOnly(s.FindSession(t.Context(), sess.ID)), auth.ErrSessionNotFound)
		wantErr(t, "FindRefreshToken", errOnly(s.FindRefreshToken(t.Context(), tok.Selector)), auth.ErrRefreshTokenNotFound)
		now, err := s.FindUserByID(t.Context(), changed.ID)
		must(t, "FindUserByID", err)
		must(t, "CreateSession(new stamp)", s.CreateSession(t.Context(), sess, tok, now.SecurityStamp))
	})
	t.Run("AfterRehash", func(t *testing.T) {
		// A rehash is the same password: the sign-in that read the stamp before it still
		// gets its session.
		rehashed := newUser(t, s, "rehashed@example.com")
		must(t, "UpdatePasswordHash", s.UpdatePasswordHash(t.Context(), rehashed.ID, userHash, "rehashed"))
		sess := &auth.Session{ID: uuid.New(), UserID: rehashed.ID, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		must(t, "CreateSession", s.CreateSession(t.Context(), sess, newToken(t, sess.ID, sess.ExpiresAt), rehashed.SecurityStamp))
	})
	t.Run("UserDeleted", func(t *testing.T) {
		gone := newUser(t, s, "gone@example.com")
		must(t, "DeleteUser", s.DeleteUser(t.Context(), gone.ID, gone.SecurityStamp))
		sess := &auth.Session{ID: uuid.New(), UserID: gone.ID, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0}
		wantErr(t, "CreateSession", s.CreateSession(t.Context(), sess, newToken(t, sess.ID, t0), gone.SecurityStamp), auth.ErrUserNotFound)
	})
	t.Run("TokenOfAnotherSession", func(t *testing.T) {
		sess := &auth.Session{ID: uuid.New(), UserID: u.ID, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0}
		if err := s.CreateSession(t.Context(), sess, newToken(t, uuid.New(), t0), u.SecurityStamp); err == nil {
			t.Fatal("CreateSession: got nil error, want one")
		}
		wantErr(t, "FindSession", errOnly(s.FindSession(t.Context(), sess.ID)), auth.ErrSessionNotFound)
	})
	t.Run("RollsBackOnTokenError", func(t *testing.T) {
		_, existing := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		sess := &auth.Session{ID: uuid.New(), UserID: u.ID, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0}
		tok := newToken(t, sess.ID, t0)
		tok.Selector = existing.Selector
		if err := s.CreateSession(t.Context(), sess, tok, u.SecurityStamp); err == nil {
			t.Fatal("CreateSession with a taken selector: got nil error, want one")
		}
		wantErr(t, "FindSession", errOnly(s.FindSession(t.Context(), sess.ID)), auth.ErrSessionNotFound)
	})
}

func testFindSession(t *testing.T, s *store.Store) {
	u := newUser(t, s, "find@example.com")
	t.Run("Expired", func(t *testing.T) {
		sess, _ := newSession(t, s, u.ID, t0, t0.Add(-time.Hour))
		got, err := s.FindSession(t.Context(), sess.ID)
		must(t, "FindSession", err)
		wantEqual(t, "FindSession", got, sess)
	})
	t.Run("NotFound", func(t *testing.T) {
		wantErr(t, "FindSession", errOnly(s.FindSession(t.Context(), uuid.New())), auth.ErrSessionNotFound)
	})
}

func testFindSessionUser(t *testing.T, s *store.Store) {
	u := newUser(t, s, "session-user@example.com")
	newUser(t, s, "someone-else@example.com")
	t.Run("Both", func(t *testing.T) {
		sess, _ := newSession(t, s, u.ID, t0, t0.Add(-time.Hour)) // expired: still found
		// Verified, so the comparison below covers every column GET /api/users/me shows.
		must(t, "MarkEmailVerified", s.MarkEmailVerified(t.Context(), u.ID, t0))
		gotUser, expires, err := s.FindSessionUser(t.Context(), sess.ID)
		must(t, "FindSessionUser", err)
		wantEqual(t, "FindSessionUser expiry", expires, sess.ExpiresAt)
		want, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		wantEqual(t, "FindSessionUser user", gotUser, want)
	})
	t.Run("NotFound", func(t *testing.T) {
		_, _, err := s.FindSessionUser(t.Context(), uuid.New())
		wantErr(t, "FindSessionUser", err, auth.ErrSessionNotFound)
	})
	t.Run("UserDeleted", func(t *testing.T) {
		gone := newUser(t, s, "session-user-gone@example.com")
		sess, _ := newSession(t, s, gone.ID, t0, t0.Add(time.Hour))
		must(t, "DeleteUser", s.DeleteUser(t.Context(), gone.ID, gone.SecurityStamp))
		_, _, err := s.FindSessionUser(t.Context(), sess.ID)
		wantErr(t, "FindSessionUser", err, auth.ErrSessionNotFound)
	})
}

func testListSessions(t *testing.T, s *store.Store) {
	u := newUser(t, s, "list@example.com")
	other := newUser(t, s, "other@example.com")
	now := t0.Add(time.Hour)
	older, _ := newSession(t, s, u.ID, t0.Add(time.Minute), now.Add(time.Hour))
	newest, _ := newSession(t, s, u.ID, t0.Add(3*time.Minute), now.Add(time.Second))
	middle, _ := newSession(t, s, u.ID, t0.Add(2*time.Minute), now.Add(time.Microsecond))
	newSession(t, s, u.ID, t0.Add(4*time.Minute), now)                   // expires at now: not after it
	newSession(t, s, u.ID, t0.Add(5*time.Minute), now.Add(-time.Minute)) // expired
	newSession(t, s, other.ID, t0.Add(6*time.Minute), now.Add(time.Hour))

	t.Run("LiveNewestUseFirst", func(t *testing.T) {
		got, err := s.ListSessions(t.Context(), u.ID, now)
		must(t, "ListSessions", err)
		wantEqual(t, "session ids", sessionIDs(got), []uuid.UUID{newest.ID, middle.ID, older.ID})
		wantEqual(t, "first session", got[0], *newest)
	})
	t.Run("None", func(t *testing.T) {
		got, err := s.ListSessions(t.Context(), uuid.New(), now)
		must(t, "ListSessions", err)
		if len(got) != 0 {
			t.Errorf("ListSessions: got %d sessions, want 0", len(got))
		}
	})
}

func testDeleteSession(t *testing.T, s *store.Store) {
	u := newUser(t, s, "delete@example.com")
	other := newUser(t, s, "other@example.com")
	t.Run("DeletesTokens", func(t *testing.T) {
		sess, tok := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		must(t, "DeleteSession", s.DeleteSession(t.Context(), u.ID, sess.ID))
		wantErr(t, "FindSession", errOnly(s.FindSession(t.Context(), sess.ID)), auth.ErrSessionNotFound)
		wantErr(t, "FindRefreshToken", errOnly(s.FindRefreshToken(t.Context(), tok.Selector)), auth.ErrRefreshTokenNotFound)
	})
	t.Run("AnotherUsersSession", func(t *testing.T) {
		sess, _ := newSession(t, s, other.ID, t0, t0.Add(time.Hour))
		wantErr(t, "DeleteSession", s.DeleteSession(t.Context(), u.ID, sess.ID), auth.ErrSessionNotFound)
		must(t, "FindSession", errOnly(s.FindSession(t.Context(), sess.ID)))
	})
	t.Run("NotFound", func(t *testing.T) {
		wantErr(t, "DeleteSession", s.DeleteSession(t.Context(), u.ID, uuid.New()), auth.ErrSessionNotFound)
	})
}

func testDeleteOtherSessions(t *testing.T, s *store.Store) {
	u := newUser(t, s, "others@example.com")
	other := newUser(t, s, "other@example.com")
	keep, _ := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
	newSession(t, s, u.ID, t0, t0.Add(time.Hour))
	newSession(t, s, u.ID, t0, t0.Add(-time.Hour))
	otherSess, _ := newSession(t, s, other.ID, t0, t0.Add(time.Hour))

	for _, want := range []int{2, 0} {
		n, err := s.DeleteOtherSessions(t.Context(), u.ID, keep.ID)
		must(t, "DeleteOtherSessions", err)
		if n != want {
			t.Errorf("DeleteOtherSessions: got %d deleted, want %d", n, want)
		}
	}
	must(t, "FindSession(kept)", errOnly(s.FindSession(t.Context(), keep.ID)))
	must(t, "FindSession(other user's)", errOnly(s.FindSession(t.Context(), otherSess.ID)))
}

func testDeleteExpired(t *testing.T, s *store.Store) {
	u := newUser(t, s, "expired@example.com")
	now := t0.Add(time.Hour)
	_, goneTok := newSession(t, s, u.ID, t0, now.Add(-time.Microsecond))
	newSession(t, s, u.ID, t0, now.Add(-time.Hour))
	atNow, _ := newSession(t, s, u.ID, t0, now) // not before now
	live, _ := newSession(t, s, u.ID, t0, now.Add(time.Hour))
	// A live session whose first token expired after it was rotated: that token goes too.
	rotated, spent := newSession(t, s, u.ID, t0, now.Add(-time.Minute))
	fresh := newToken(t, rotated.ID, now.Add(time.Hour))
	if ok, err := s.RotateRefreshToken(t.Context(), spent.Selector, fresh, t0, "ip", "ua"); !ok || err != nil {
		t.Fatalf("RotateRefreshToken: got %v, %v, want true, nil", ok, err)
	}

	n, err := s.DeleteExpired(t.Context(), now)
	must(t, "DeleteExpired", err)
	if n != 2 {
		t.Errorf("DeleteExpired: got %d deleted, want 2", n)
	}
	wantErr(t, "FindRefreshToken(expired)", errOnly(s.FindRefreshToken(t.Context(), goneTok.Selector)), auth.ErrRefreshTokenNotFound)
	must(t, "FindSession(expiring now)", errOnly(s.FindSession(t.Context(), atNow.ID)))
	must(t, "FindSession(live)", errOnly(s.FindSession(t.Context(), live.ID)))
	must(t, "FindSession(rotated)", errOnly(s.FindSession(t.Context(), rotated.ID)))
	must(t, "FindRefreshToken(fresh)", errOnly(s.FindRefreshToken(t.Context(), fresh.Selector)))
	wantErr(t, "FindRefreshToken(spent)", errOnly(s.FindRefreshToken(t.Context(), spent.Selector)), auth.ErrRefreshTokenNotFound)
}

func testFindRefreshToken(t *testing.T, s *store.Store) {
	wantErr(t, "FindRefreshToken", errOnly(s.FindRefreshToken(t.Context(), "no-such-selector")), auth.ErrRefreshTokenNotFound)
}

func testRotateRefreshToken(t *testing.T, s *store.Store) {
	u := newUser(t, s, "rotate@example.com")
	now := t0.Add(time.Minute)
	t.Run("Rotates", func(t *testing.T) {
		sess, old := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		next := newToken(t, sess.ID, now.Add(2*time.Hour))
		ok, err := s.RotateRefreshToken(t.Context(), old.Selector, next, now, "198.51.100.7", "Safari")
		if !ok || err != nil {
			t.Fatalf("RotateRefreshToken: got %v, %v, want true, nil", ok, err)
		}
		gotOld, err := s.FindRefreshToken(t.Context(), old.Selector)
		must(t, "FindRefreshToken(old)", err)
		wantOld := *old
		wantOld.RotatedAt = &now
		wantEqual(t, "old token", gotOld, &wantOld)
		gotNext, err := s.FindRefreshToken(t.Context(), next.Selector)
		must(t, "FindRefreshToken(next)", err)
		wantEqual(t, "next token", gotNext, next)
		gotSess, err := s.FindSession(t.Context(), sess.ID)
		must(t, "FindSession", err)
		wantSess := *sess
		wantSess.LastUsedAt, wantSess.IP, wantSess.UserAgent, wantSess.ExpiresAt = now, "198.51.100.7", "Safari", next.ExpiresAt
		wantEqual(t, "session", gotSess, &wantSess)
	})
	t.Run("AlreadyRotated", func(t *testing.T) {
		sess, old := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		first := newToken(t, sess.ID, now.Add(time.Hour))
		ok, err := s.RotateRefreshToken(t.Context(), old.Selector, first, now, "ip", "ua")
		if !ok || err != nil {
			t.Fatalf("first RotateRefreshToken: got %v, %v, want true, nil", ok, err)
		}
		before, err := s.FindSession(t.Context(), sess.ID)
		must(t, "FindSession", err)
		second := newToken(t, sess.ID, now.Add(3*time.Hour))
		ok, err = s.RotateRefreshToken(t.Context(), old.Selector, second, now.Add(time.Second), "other-ip", "other-ua")
		if ok || err != nil {
			t.Fatalf("second RotateRefreshToken: got %v, %v, want false, nil", ok, err)
		}
		wantErr(t, "FindRefreshToken(second)", errOnly(s.FindRefreshToken(t.Context(), second.Selector)), auth.ErrRefreshTokenNotFound)
		after, err := s.FindSession(t.Context(), sess.ID)
		must(t, "FindSession", err)
		wantEqual(t, "session after refused rotation", after, before)
	})
	t.Run("Gone", func(t *testing.T) {
		sess, _ := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		ok, err := s.RotateRefreshToken(t.Context(), "no-such-selector", newToken(t, sess.ID, now), now, "ip", "ua")
		if ok || err != nil {
			t.Fatalf("RotateRefreshToken: got %v, %v, want false, nil", ok, err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		const n = 20
		sess, old := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		nexts := make([]*auth.RefreshToken, n)
		results := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			nexts[i] = newToken(t, sess.ID, now.Add(time.Hour))
			wg.Go(func() {
				ok, err := s.RotateRefreshToken(t.Context(), old.Selector, nexts[i], now, "ip", "ua")
				results[i] = fmt.Sprint(ok, err)
			})
		}
		wg.Wait()
		won := 0
		for i, r := range results {
			switch r {
			case "true <nil>":
				won++
				must(t, "FindRefreshToken(winner)", errOnly(s.FindRefreshToken(t.Context(), nexts[i].Selector)))
			case "false <nil>":
				wantErr(t, "FindRefreshToken(loser)", errOnly(s.FindRefreshToken(t.Context(), nexts[i].Selector)), auth.ErrRefreshTokenNotFound)
			default:
				t.Errorf("RotateRefreshToken: got %s, want true or false and no error", r)
			}
		}
		if won != 1 {
			t.Errorf("of %d concurrent rotations: got %d true, want 1", n, won)
		}
	})
}
