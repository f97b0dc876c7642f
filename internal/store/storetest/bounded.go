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

// testCreateSessionBounded: a sign-in past the bound ends the least recently used sessions,
// in the same transaction, and keeps the new one.
func testCreateSessionBounded(t *testing.T, s *store.Store) {
	u := newUser(t, s, "bounded@example.com")
	// Three sessions last used at t0+1m, +2m, +3m; the new one is used at +4m.
	var old []*auth.Session
	for i := 1; i <= 3; i++ {
		sess, _ := newSession(t, s, u.ID, t0.Add(time.Duration(i)*time.Minute), t0.Add(time.Hour))
		old = append(old, sess)
	}
	sess := &auth.Session{ID: uuid.New(), UserID: u.ID, CreatedAt: t0, LastUsedAt: t0.Add(4 * time.Minute), ExpiresAt: t0.Add(time.Hour)}
	tok := newToken(t, sess.ID, sess.ExpiresAt)
	ended, err := s.CreateSessionBounded(t.Context(), sess, tok, u.SecurityStamp, 2)
	must(t, "CreateSessionBounded", err)
	if ended != 2 {
		t.Fatalf("CreateSessionBounded: got %d sessions ended, want 2", ended)
	}
	list, err := s.ListSessions(t.Context(), u.ID, t0)
	must(t, "ListSessions", err)
	if len(list) != 2 || list[0].ID != sess.ID || list[1].ID != old[2].ID {
		t.Fatalf("ListSessions: got %v, want the new session and the most recently used old one", list)
	}
	for _, gone := range old[:2] {
		wantErr(t, "FindSession(least recently used)", errOnly(s.FindSession(t.Context(), gone.ID)), auth.ErrSessionNotFound)
	}
	// Unbounded (0) ends nothing; the stamp still decides.
	sess2 := &auth.Session{ID: uuid.New(), UserID: u.ID, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	ended, err = s.CreateSessionBounded(t.Context(), sess2, newToken(t, sess2.ID, sess2.ExpiresAt), u.SecurityStamp, 0)
	if err != nil || ended != 0 {
		t.Fatalf("CreateSessionBounded(0): got %d, %v; want 0, nil", ended, err)
	}
	sess3 := &auth.Session{ID: uuid.New(), UserID: u.ID, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	_, err = s.CreateSessionBounded(t.Context(), sess3, newToken(t, sess3.ID, sess3.ExpiresAt), "stale stamp", 2)
	wantErr(t, "CreateSessionBounded(stale stamp)", err, auth.ErrCredentialsChanged)
}

// testConcurrentBoundedSignIns races sign-ins of one user at the bound: however they
// interleave, the user is left with exactly the bound.
func testConcurrentBoundedSignIns(t *testing.T, s *store.Store) {
	const bound, signIns = 3, 12
	u := newUser(t, s, "racing-bound@example.com")
	var wg sync.WaitGroup
	errs := make([]error, signIns)
	for i := range signIns {
		wg.Go(func() {
			sess := &auth.Session{ID: uuid.New(), UserID: u.ID, CreatedAt: t0, LastUsedAt: t0.Add(time.Duration(i) * time.Second), ExpiresAt: t0.Add(time.Hour)}
			_, errs[i] = s.CreateSessionBounded(t.Context(), sess, newToken(t, sess.ID, sess.ExpiresAt), u.SecurityStamp, bound)
		})
	}
	wg.Wait()
	for i, err := range errs {
		must(t, fmt.Sprintf("CreateSessionBounded %d", i), err)
	}
	list, err := s.ListSessions(t.Context(), u.ID, t0)
	must(t, "ListSessions", err)
	if len(list) != bound {
		t.Fatalf("after %d concurrent sign-ins: got %d sessions, want %d", signIns, len(list), bound)
	}
}
