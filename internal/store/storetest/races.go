package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/store"
)

// raceRounds is how many times each race below is run. On PostgreSQL a rotation that locked
// its token before its session deadlocked against every kind of revocation within 20 rounds.
const raceRounds = 50

// testRotateWhileRevoking races a rotation against each way of deleting its session. Rotation
// and revocation must not deadlock (or fail in any other way): the rotation returns true or
// false and no error, the revocation succeeds, and afterwards neither the session nor any
// token of it, the successor included, is left.
func testRotateWhileRevoking(t *testing.T, s *store.Store) {
	revocations := []struct {
		name   string
		revoke func(u *auth.User, sessionID uuid.UUID) error
	}{
		{"DeleteSession", func(u *auth.User, sessionID uuid.UUID) error {
			return s.DeleteSession(t.Context(), u.ID, sessionID)
		}},
		{"DeleteOtherSessions", func(u *auth.User, _ uuid.UUID) error {
			_, err := s.DeleteOtherSessions(t.Context(), u.ID, uuid.New())
			return err
		}},
		{"ChangePassword", func(u *auth.User, _ uuid.UUID) error {
			return s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "new-hash", t0, uuid.New())
		}},
		{"DeleteUser", func(u *auth.User, _ uuid.UUID) error {
			return s.DeleteUser(t.Context(), u.ID, u.SecurityStamp)
		}},
	}
	for _, r := range revocations {
		t.Run(r.name, func(t *testing.T) {
			for i := range raceRounds {
				u := newUser(t, s, fmt.Sprintf("%s-%d@example.com", r.name, i))
				sess, old := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
				next := newToken(t, sess.ID, t0.Add(2*time.Hour))
				var (
					rotated           bool
					rotErr, revokeErr error
					start             = make(chan struct{})
					wg                sync.WaitGroup
				)
				wg.Go(func() {
					<-start
					rotated, rotErr = s.RotateRefreshToken(t.Context(), old.Selector, next, t0.Add(time.Minute), "ip", "ua")
				})
				wg.Go(func() {
					<-start
					revokeErr = r.revoke(u, sess.ID)
				})
				close(start)
				wg.Wait()
				if rotErr != nil {
					t.Fatalf("round %d: RotateRefreshToken: got %v, %v, want true or false and no error", i, rotated, rotErr)
				}
				must(t, fmt.Sprintf("round %d: %s", i, r.name), revokeErr)
				wantErr(t, "FindSession", errOnly(s.FindSession(t.Context(), sess.ID)), auth.ErrSessionNotFound)
				for _, tok := range []*auth.RefreshToken{old, next} {
					wantErr(t, "FindRefreshToken", errOnly(s.FindRefreshToken(t.Context(), tok.Selector)), auth.ErrRefreshTokenNotFound)
				}
			}
		})
	}
}

// testSignInWhilePasswordChanges races CreateSession, conditional on the security stamp a
// sign-in read, against ChangePassword. Whichever commits first, the session must not survive:
// either CreateSession finds the stamp changed, or ChangePassword deletes the session with the
// user's others.
func testSignInWhilePasswordChanges(t *testing.T, s *store.Store) {
	for i := range raceRounds {
		u := newUser(t, s, fmt.Sprintf("signin-%d@example.com", i))
		sess := &auth.Session{ID: uuid.New(), UserID: u.ID, CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		var (
			createErr, changeErr error
			start                = make(chan struct{})
			wg                   sync.WaitGroup
		)
		wg.Go(func() {
			<-start
			createErr = s.CreateSession(t.Context(), sess, newToken(t, sess.ID, sess.ExpiresAt), u.SecurityStamp)
		})
		wg.Go(func() {
			<-start
			changeErr = s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, "new-hash", t0, uuid.New())
		})
		close(start)
		wg.Wait()
		if createErr != nil && !errors.Is(createErr, auth.ErrCredentialsChanged) {
			t.Fatalf("round %d: CreateSession: got %v, want nil or ErrCredentialsChanged", i, createErr)
		}
		must(t, fmt.Sprintf("round %d: ChangePassword", i), changeErr)
		err := errOnly(s.FindSession(t.Context(), sess.ID))
		wantErr(t, fmt.Sprintf("round %d: FindSession (CreateSession returned %v)", i, createErr), err, auth.ErrSessionNotFound)
	}
}

// testConcurrentPasswordChanges races n ChangePassword calls from the same security stamp,
// each keeping a session of its own, as n devices that all verified the current password would
// send them. Exactly one must succeed and the others get ErrCredentialsChanged: the stored hash
// is the winner's, and only the winner's session is left.
func testConcurrentPasswordChanges(t *testing.T, s *store.Store) {
	const n = 6
	for i := range raceRounds {
		u := newUser(t, s, fmt.Sprintf("changes-%d@example.com", i))
		keep := make([]uuid.UUID, n)
		for j := range keep {
			sess, _ := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
			keep[j] = sess.ID
		}
		var (
			errs  = make([]error, n)
			start = make(chan struct{})
			wg    sync.WaitGroup
		)
		for j := range n {
			wg.Go(func() {
				<-start
				errs[j] = s.ChangePassword(t.Context(), u.ID, u.SecurityStamp, fmt.Sprint("hash-", j), t0, keep[j])
			})
		}
		close(start)
		wg.Wait()
		won := -1
		for j, err := range errs {
			switch {
			case err == nil && won < 0:
				won = j
			case err == nil:
				t.Fatalf("round %d: ChangePassword %d and %d: both got nil, want exactly one to succeed", i, won, j)
			case !errors.Is(err, auth.ErrCredentialsChanged):
				t.Fatalf("round %d: ChangePassword %d: got %v, want nil or ErrCredentialsChanged", i, j, err)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: every ChangePassword failed (%v), want one to succeed", i, errs)
		}
		got, err := s.FindUserByID(t.Context(), u.ID)
		must(t, "FindUserByID", err)
		if want := fmt.Sprint("hash-", won); got.PasswordHash != want {
			t.Fatalf("round %d: hash: got %q, want the winner's %q", i, got.PasswordHash, want)
		}
		sessions, err := s.ListSessions(t.Context(), u.ID, t0)
		must(t, "ListSessions", err)
		wantEqual(t, fmt.Sprintf("round %d: sessions left", i), sessionIDs(sessions), []uuid.UUID{keep[won]})
	}
}

// testManyRotationsAtOnce rotates more sessions at once than a SQLite store has connections,
// on a store that has rotated nothing yet: the first rotations prepare their statements while
// others hold connections in their transactions, and none may wait for another for ever.
func testManyRotationsAtOnce(t *testing.T, s *store.Store) {
	const n = 24
	type pair struct {
		sess *auth.Session
		old  *auth.RefreshToken
	}
	pairs := make([]pair, n)
	for i := range pairs {
		u := newUser(t, s, fmt.Sprintf("many-rotations-%d@example.com", i))
		sess, old := newSession(t, s, u.ID, t0, t0.Add(time.Hour))
		pairs[i] = pair{sess, old}
	}
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for _, p := range pairs {
		wg.Go(func() {
			<-start
			rotated, err := s.RotateRefreshToken(t.Context(), p.old.Selector, newToken(t, p.sess.ID, t0.Add(2*time.Hour)), t0.Add(time.Minute), "ip", "ua")
			if err == nil && !rotated {
				err = fmt.Errorf("session %s: not rotated", p.sess.ID)
			}
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("RotateRefreshToken: got %v, want rotated", err)
		}
	}
}
