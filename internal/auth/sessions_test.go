package auth_test

import (
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/token"
)

// wantRefreshRefused fails the test unless presenting rt returns ErrInvalidRefreshToken.
func (e *env) wantRefreshRefused(t *testing.T, rt string) {
	t.Helper()
	if _, err := e.svc.Refresh(t.Context(), rt, auth.Client{}); !errors.Is(err, auth.ErrInvalidRefreshToken) {
		t.Fatalf("Refresh: got %v, want ErrInvalidRefreshToken", err)
	}
}

// wantSessionRevoked fails the test unless tok's session is gone.
func (e *env) wantSessionRevoked(t *testing.T, tok auth.Tokens) {
	t.Helper()
	if _, err := e.store.FindSession(t.Context(), tok.SessionID); !errors.Is(err, auth.ErrSessionNotFound) {
		t.Fatalf("FindSession: got %v, want ErrSessionNotFound", err)
	}
}

// withVerifier returns rt's selector with another, well-formed verifier.
func withVerifier(t *testing.T, rt string) string {
	t.Helper()
	other, err := token.NewRefresh()
	if err != nil {
		t.Fatal(err)
	}
	sel, _, _ := strings.Cut(rt, ".")
	_, ver, _ := strings.Cut(other.String(), ".")
	return sel + "." + ver
}

func TestService_Refresh(t *testing.T) {
	t.Parallel()
	t.Run("Rotates", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		first := e.signUp(t)
		e.clock.Advance(time.Hour)
		next := e.refresh(t, first.RefreshToken)
		if next.RefreshToken == first.RefreshToken || next.AccessToken == first.AccessToken {
			t.Errorf("Refresh returned the tokens it was given")
		}
		if next.SessionID != first.SessionID || next.UserID != first.UserID {
			t.Errorf("got session %s of user %s, want %s of %s", next.SessionID, next.UserID, first.SessionID, first.UserID)
		}
		e.wantAuthenticated(t, next)
		sess, err := e.store.FindSession(t.Context(), first.SessionID)
		if err != nil {
			t.Fatalf("FindSession: %v", err)
		}
		now := e.clock.Now()
		if !sess.LastUsedAt.Equal(now) || !sess.ExpiresAt.Equal(now.Add(refreshTTL)) || sess.IP != "192.0.2.2" || sess.UserAgent != "refresher" {
			t.Errorf("session: got %+v, want used now from 192.0.2.2 (refresher), expiring in %s", sess, refreshTTL)
		}
		e.refresh(t, next.RefreshToken)
	})
	t.Run("SuccessorSaltStored", func(t *testing.T) {
		// The successor is keyed by a salt kept only in the database, so an old token leaked
		// on its own cannot be walked forward to a live one.
		e := newService(t)
		first := e.signUp(t)
		r, err := token.ParseRefresh(first.RefreshToken)
		if err != nil {
			t.Fatalf("ParseRefresh: %v", err)
		}
		stored, err := e.store.FindRefreshToken(t.Context(), r.Selector)
		if err != nil {
			t.Fatalf("FindRefreshToken: %v", err)
		}
		if len(stored.SuccessorSalt) != token.SaltBytes {
			t.Errorf("stored successor salt: got %d bytes, want %d", len(stored.SuccessorSalt), token.SaltBytes)
		}
		next := e.refresh(t, first.RefreshToken)
		if guess := r.Successor(nil).String(); next.RefreshToken == guess {
			t.Errorf("successor: got %s, which the old token alone yields, want one that needs the stored salt", next.RefreshToken)
		}
	})
	t.Run("ReuseAfterGraceRevokesSession", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		first := e.signUp(t)
		next := e.refresh(t, first.RefreshToken)
		e.clock.Advance(reuseGrace + time.Second)
		e.wantRefreshRefused(t, first.RefreshToken)
		e.wantSessionRevoked(t, first)
		e.wantRefreshRefused(t, next.RefreshToken)
		e.wantNotAuthenticated(t, next.AccessToken)
		e.wantNotAuthenticated(t, first.AccessToken)
		if !slices.ContainsFunc(e.logs.all(), func(r logRecord) bool { return r.Level == slog.LevelWarn && strings.Contains(r.Message, "reused") }) {
			t.Errorf("logs: got no warning about the reuse, want one")
		}
	})
	t.Run("TwoTabsWithinGrace", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		first := e.signUp(t)
		a := e.refresh(t, first.RefreshToken)
		e.clock.Advance(reuseGrace - time.Second)
		b := e.refresh(t, first.RefreshToken)
		if b.RefreshToken != a.RefreshToken {
			t.Errorf("second presentation: got %s, want the same successor %s", b.RefreshToken, a.RefreshToken)
		}
		e.wantAuthenticated(t, a)
		e.wantAuthenticated(t, b)
		e.refresh(t, b.RefreshToken)
	})
	t.Run("NoGraceIsImmediateReuse", func(t *testing.T) {
		t.Parallel()
		e := newService(t, withGrace(0))
		first := e.signUp(t)
		next := e.refresh(t, first.RefreshToken)
		e.wantRefreshRefused(t, first.RefreshToken)
		e.wantSessionRevoked(t, first)
		e.wantRefreshRefused(t, next.RefreshToken)
		e.wantNotAuthenticated(t, next.AccessToken)
	})
	t.Run("Concurrent", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		first := e.signUp(t)
		const n = 10
		got := make([]auth.Tokens, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				got[i], errs[i] = e.svc.Refresh(t.Context(), first.RefreshToken, auth.Client{})
			})
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("Refresh %d: got %v, want nil", i, errs[i])
			}
			if got[i].RefreshToken != got[0].RefreshToken {
				t.Fatalf("Refresh %d: got %s, want the same successor as the first, %s", i, got[i].RefreshToken, got[0].RefreshToken)
			}
		}
		e.wantAuthenticated(t, got[0])
		e.refresh(t, got[0].RefreshToken)
	})
	t.Run("Expired", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		first := e.signUp(t)
		e.clock.Advance(refreshTTL)
		e.wantRefreshRefused(t, first.RefreshToken)
	})
	t.Run("UseKeepsSessionAlive", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		for range 3 {
			e.clock.Advance(refreshTTL - time.Hour)
			tok = e.refresh(t, tok.RefreshToken)
		}
		e.wantAuthenticated(t, tok)
	})
	t.Run("Malformed", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		first := e.signUp(t)
		sel, ver, _ := strings.Cut(first.RefreshToken, ".")
		for _, rt := range []string{
			"", ".", "garbage", sel, sel + ".", "." + ver, ver + "." + sel,
			sel + "." + ver + "." + ver, sel + "." + ver[1:], sel + "x." + ver,
			strings.ToUpper(first.RefreshToken), first.AccessToken,
			sel + "." + strings.Repeat("!", len(ver)),
		} {
			if _, err := e.svc.Refresh(t.Context(), rt, auth.Client{}); !errors.Is(err, auth.ErrInvalidRefreshToken) {
				t.Errorf("Refresh(%q): got %v, want ErrInvalidRefreshToken", rt, err)
			}
		}
		e.refresh(t, first.RefreshToken)
	})
	t.Run("WrongVerifier", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		first := e.signUp(t)
		e.wantRefreshRefused(t, withVerifier(t, first.RefreshToken))
		next := e.refresh(t, first.RefreshToken)
		// Knowing a rotated token's selector, past the grace, must not be enough to revoke.
		e.clock.Advance(reuseGrace + time.Second)
		e.wantRefreshRefused(t, withVerifier(t, first.RefreshToken))
		e.wantAuthenticated(t, next)
		e.refresh(t, next.RefreshToken)
	})
	t.Run("UnknownToken", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		e.signUp(t)
		r, err := token.NewRefresh()
		if err != nil {
			t.Fatal(err)
		}
		e.wantRefreshRefused(t, r.String())
	})
	t.Run("AfterAccountDeleted", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		if err := e.svc.DeleteAccount(t.Context(), principal(tok), auth.DeleteAccountInput{Password: testPassword}); err != nil {
			t.Fatalf("DeleteAccount: %v", err)
		}
		e.wantRefreshRefused(t, tok.RefreshToken)
	})
}

func TestService_Logout(t *testing.T) {
	t.Parallel()
	t.Run("EndsSession", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		other := e.login(t, testEmail, testPassword)
		if err := e.svc.Logout(t.Context(), tok.RefreshToken); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		e.wantSessionRevoked(t, tok)
		e.wantNotAuthenticated(t, tok.AccessToken)
		e.wantRefreshRefused(t, tok.RefreshToken)
		e.wantAuthenticated(t, other)
		if err := e.svc.Logout(t.Context(), tok.RefreshToken); err != nil {
			t.Errorf("Logout again: got %v, want nil", err)
		}
	})
	t.Run("WithRotatedToken", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		first := e.signUp(t)
		next := e.refresh(t, first.RefreshToken)
		if err := e.svc.Logout(t.Context(), next.RefreshToken); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		e.wantSessionRevoked(t, first)
	})
	t.Run("UnknownOrMalformed", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		unknown, err := token.NewRefresh()
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range []string{"", "garbage", "a.b", unknown.String(), tok.AccessToken, withVerifier(t, tok.RefreshToken)} {
			if err := e.svc.Logout(t.Context(), rt); err != nil {
				t.Errorf("Logout(%q): got %v, want nil", rt, err)
			}
		}
		// A wrong verifier must not end the session its selector names.
		e.wantAuthenticated(t, tok)
	})
}

func TestService_Sessions(t *testing.T) {
	t.Parallel()
	t.Run("NewestUseFirst", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		a := e.signUp(t)
		e.clock.Advance(time.Minute)
		b := e.login(t, testEmail, testPassword)
		e.clock.Advance(time.Minute)
		c := e.login(t, testEmail, testPassword)
		e.clock.Advance(time.Minute)
		e.refresh(t, a.RefreshToken)
		e.register(t, "grace@example.com", testPassword)
		e.login(t, "grace@example.com", testPassword)

		want := []uuid.UUID{a.SessionID, c.SessionID, b.SessionID}
		list := sessionIDs(t, e, principal(b))
		if !slices.Equal(list, want) {
			t.Fatalf("got %v, want %v", list, want)
		}
		before, _ := e.svc.Sessions(t.Context(), principal(b))
		// Listing is not a use: it moves no session's LastUsedAt.
		e.clock.Advance(time.Hour)
		after, err := e.svc.Sessions(t.Context(), principal(b))
		if err != nil {
			t.Fatalf("Sessions: %v", err)
		}
		for i := range after {
			if !after[i].LastUsedAt.Equal(before[i].LastUsedAt) {
				t.Errorf("session %s: LastUsedAt got %s, want %s", after[i].ID, after[i].LastUsedAt, before[i].LastUsedAt)
			}
		}
	})
	t.Run("ExpiredLeftOut", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		old := e.signUp(t)
		e.clock.Advance(refreshTTL - time.Minute)
		cur := e.login(t, testEmail, testPassword)
		e.clock.Advance(time.Minute + time.Second)
		if got, want := sessionIDs(t, e, principal(cur)), []uuid.UUID{cur.SessionID}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v (not the expired %s)", got, want, old.SessionID)
		}
		if n, err := e.svc.DeleteExpiredSessions(t.Context()); err != nil || n != 1 {
			t.Errorf("DeleteExpiredSessions: got (%d, %v), want (1, nil)", n, err)
		}
	})
}

func sessionIDs(t *testing.T, e *env, p auth.Principal) []uuid.UUID {
	t.Helper()
	list, err := e.svc.Sessions(t.Context(), p)
	if err != nil {
		t.Fatalf("Sessions: %v", err)
	}
	ids := make([]uuid.UUID, len(list))
	for i, s := range list {
		if s.UserID != p.UserID {
			t.Errorf("Sessions: got a session of user %s, want only %s's", s.UserID, p.UserID)
		}
		ids[i] = s.ID
	}
	return ids
}

func TestService_RevokeSession(t *testing.T) {
	t.Parallel()
	e := newService(t)
	cur := e.signUp(t)
	other := e.login(t, testEmail, testPassword)
	e.register(t, "grace@example.com", testPassword)
	stranger := e.login(t, "grace@example.com", testPassword)
	p := principal(cur)

	t.Run("AnotherUsersSession", func(t *testing.T) {
		wantErr(t, "RevokeSession", e.svc.RevokeSession(t.Context(), p, stranger.SessionID), auth.ErrSessionNotFound)
		e.wantAuthenticated(t, stranger)
	})
	t.Run("Unknown", func(t *testing.T) {
		wantErr(t, "RevokeSession", e.svc.RevokeSession(t.Context(), p, uuid.New()), auth.ErrSessionNotFound)
	})
	t.Run("Own", func(t *testing.T) {
		if err := e.svc.RevokeSession(t.Context(), p, other.SessionID); err != nil {
			t.Fatalf("RevokeSession: %v", err)
		}
		e.wantNotAuthenticated(t, other.AccessToken)
		e.wantRefreshRefused(t, other.RefreshToken)
		e.wantAuthenticated(t, cur)
		wantErr(t, "RevokeSession again", e.svc.RevokeSession(t.Context(), p, other.SessionID), auth.ErrSessionNotFound)
	})
}

func TestService_RevokeOtherSessions(t *testing.T) {
	t.Parallel()
	e := newService(t)
	cur := e.signUp(t)
	others := []auth.Tokens{e.login(t, testEmail, testPassword), e.login(t, testEmail, testPassword)}
	e.register(t, "grace@example.com", testPassword)
	stranger := e.login(t, "grace@example.com", testPassword)

	n, err := e.svc.RevokeOtherSessions(t.Context(), principal(cur))
	if err != nil || n != 2 {
		t.Fatalf("RevokeOtherSessions: got (%d, %v), want (2, nil)", n, err)
	}
	for _, o := range others {
		e.wantNotAuthenticated(t, o.AccessToken)
		e.wantRefreshRefused(t, o.RefreshToken)
	}
	e.wantAuthenticated(t, cur)
	e.wantAuthenticated(t, stranger)
	if got, want := sessionIDs(t, e, principal(cur)), []uuid.UUID{cur.SessionID}; !slices.Equal(got, want) {
		t.Errorf("Sessions: got %v, want %v", got, want)
	}
	if n, err := e.svc.RevokeOtherSessions(t.Context(), principal(cur)); err != nil || n != 0 {
		t.Errorf("RevokeOtherSessions again: got (%d, %v), want (0, nil)", n, err)
	}
	e.refresh(t, cur.RefreshToken)
}
