package auth_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// barrierHasher holds every Hash call made while armed until n of them have arrived, so n
// password changes have all verified the current password before any of them writes: the
// interleaving in which, unguarded, every one of them would succeed. A call waits at most a
// minute, so a test that goes wrong fails instead of hanging.
type barrierHasher struct {
	auth.Hasher
	armed   atomic.Bool
	arrived atomic.Int32
	n       int32
	all     chan struct{}
}

func newBarrierHasher(tb testing.TB, n int) *barrierHasher {
	return &barrierHasher{Hasher: bcryptAt(tb, 4), n: int32(n), all: make(chan struct{})}
}

func (b *barrierHasher) Hash(pw string) (string, error) {
	if b.armed.Load() {
		if b.arrived.Add(1) == b.n {
			close(b.all)
		}
		select {
		case <-b.all:
		case <-time.After(time.Minute):
		}
	}
	return b.Hasher.Hash(pw)
}

// Of n concurrent password changes that all verified the same current password, exactly one
// succeeds and the others get ErrCredentialsChanged; the winner's new password is the one
// that works, and only the winner's device stays signed in. (Defect 15: every one of them
// answered 204 while only one new password worked.)
func TestService_ChangePassword_Concurrent(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		const n = 5
		b := newBarrierHasher(t, n)
		e := newService(t, withStore(open(t)), func(o *auth.Options) { o.Hasher, o.MaxConcurrentHashes = b, n })
		e.register(t, testEmail, testPassword)
		devices := make([]auth.Tokens, n)
		for i := range devices {
			devices[i] = e.login(t, testEmail, testPassword)
		}

		b.armed.Store(true)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				errs[i] = e.svc.ChangePassword(t.Context(), principal(devices[i]), auth.ChangePasswordInput{
					CurrentPassword: testPassword, NewPassword: fmt.Sprint("new password ", i),
				})
			})
		}
		wg.Wait()
		b.armed.Store(false)

		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won < 0:
				won = i
			case err == nil:
				t.Fatalf("ChangePassword %d and %d: both got nil, want exactly one to succeed", won, i)
			case !errors.Is(err, auth.ErrCredentialsChanged):
				t.Fatalf("ChangePassword %d: got %v, want nil or ErrCredentialsChanged", i, err)
			}
		}
		if won < 0 {
			t.Fatalf("every ChangePassword failed (%v), want one to succeed", errs)
		}
		e.login(t, testEmail, fmt.Sprint("new password ", won))
		for i := range n {
			if i == won {
				e.wantAuthenticated(t, devices[i])
				continue
			}
			_, err := e.svc.Login(t.Context(), testEmail, fmt.Sprint("new password ", i), auth.Client{})
			wantErr(t, fmt.Sprintf("Login with loser %d's password", i), err, auth.ErrInvalidCredentials)
			e.wantNotAuthenticated(t, devices[i].AccessToken)
		}
		_, err := e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{})
		wantErr(t, "Login with the old password", err, auth.ErrInvalidCredentials)
	})
}

// Two changes from one device (a double submit) are no different: one wins, the other is
// told, and the device stays signed in with the winner's password.
func TestService_ChangePassword_DoubleSubmit(t *testing.T) {
	b := newBarrierHasher(t, 2)
	e := newService(t, func(o *auth.Options) { o.Hasher = b })
	tok := e.signUp(t)
	b.armed.Store(true)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			errs[i] = e.svc.ChangePassword(t.Context(), principal(tok), auth.ChangePasswordInput{
				CurrentPassword: testPassword, NewPassword: fmt.Sprint("new password ", i),
			})
		})
	}
	wg.Wait()
	b.armed.Store(false)
	won := 0
	if errs[0] != nil {
		won = 1
	}
	if errs[won] != nil || !errors.Is(errs[1-won], auth.ErrCredentialsChanged) {
		t.Fatalf("got %v, want one nil and one ErrCredentialsChanged", errs)
	}
	e.wantAuthenticated(t, tok)
	e.login(t, testEmail, fmt.Sprint("new password ", won))
	_, err := e.svc.Login(t.Context(), testEmail, fmt.Sprint("new password ", 1-won), auth.Client{})
	wantErr(t, "Login with the loser's password", err, auth.ErrInvalidCredentials)
}

// A rehash at sign-in is the same password, not a credential change: one that lands while a
// password change is hashing its new password does not make that change fail, and the sign-in
// that rehashed gets its session (until the change signs it out with the other devices).
func TestService_ChangePassword_RacesRehash(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		old := newService(t, withStore(st), withCost(t, 5)) // the user's hash is made at cost 5
		old.register(t, testEmail, testPassword)
		me := principal(old.login(t, testEmail, testPassword))

		g := newGatedHasher(t, 4) // at cost 4, every sign-in rehashes
		e := newService(t, withStore(st), func(o *auth.Options) { o.Hasher = g })
		g.armHash.Store(true)
		var changeErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			changeErr = e.svc.ChangePassword(t.Context(), me, auth.ChangePasswordInput{CurrentPassword: testPassword, NewPassword: "brand new password"})
		})
		<-g.entered // the change verified the current password and is hashing the new one
		other := e.login(t, testEmail, testPassword)
		if cost := hashCost(t, e, testEmail); cost != 4 {
			t.Fatalf("cost after the sign-in: got %d, want 4 (rehashed)", cost)
		}
		close(g.release)
		wg.Wait()
		if changeErr != nil {
			t.Fatalf("ChangePassword across a rehash: got %v, want nil", changeErr)
		}
		e.login(t, testEmail, "brand new password")
		_, err := e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{})
		wantErr(t, "Login with the old password", err, auth.ErrInvalidCredentials)
		e.wantNotAuthenticated(t, other.AccessToken)
	})
}

// An account deletion confirmed with the password just before a password change lands deletes
// nothing: the change signed out whoever knew the old password, and their deletion must not
// outlive it.
func TestService_DeleteAccount_RacesPasswordChange(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		g := newGatedHasher(t, 4)
		e := newService(t, withStore(open(t)), func(o *auth.Options) { o.Hasher = g })
		owner := e.signUp(t)
		intruder := e.login(t, testEmail, testPassword)

		g.armVerify.Store(true)
		var deleteErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			deleteErr = e.svc.DeleteAccount(t.Context(), principal(intruder), auth.DeleteAccountInput{Password: testPassword})
		})
		<-g.entered // the deletion read the user and is verifying the password
		if err := e.svc.ChangePassword(t.Context(), principal(owner), auth.ChangePasswordInput{CurrentPassword: testPassword, NewPassword: "brand new password"}); err != nil {
			t.Fatal(err)
		}
		close(g.release)
		wg.Wait()
		wantErr(t, "DeleteAccount confirmed with the old password", deleteErr, auth.ErrCredentialsChanged)
		e.wantAuthenticated(t, owner)
		e.login(t, testEmail, "brand new password")
	})
}

// Two sign-ins that both rehash an old-cost hash at once both get their session: the one
// whose rehash loses finds the hash changed, but by a rehash of the same password, which
// leaves the stamp. (With the hash as the guard, the loser was told its password was wrong.)
func TestService_Login_ConcurrentRehash(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		old := newService(t, withStore(st), withCost(t, 5))
		old.register(t, testEmail, testPassword)
		b := newBarrierHasher(t, 2) // cost 4: every sign-in rehashes
		e := newService(t, withStore(st), func(o *auth.Options) { o.Hasher = b })
		b.armed.Store(true)
		errs := make([]error, 2)
		tokens := make([]auth.Tokens, 2)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { tokens[i], errs[i] = e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{}) })
		}
		wg.Wait()
		b.armed.Store(false)
		for i, err := range errs {
			if err != nil {
				t.Fatalf("Login %d racing another rehash: got %v, want nil", i, err)
			}
			e.wantAuthenticated(t, tokens[i])
		}
		if cost := hashCost(t, e, testEmail); cost != 4 {
			t.Errorf("cost after the sign-ins: got %d, want 4", cost)
		}
	})
}
