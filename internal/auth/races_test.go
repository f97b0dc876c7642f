package auth_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// gatedHasher parks the first Hash or Verify call made after arm until release, so a test can
// land another operation in the middle of a sign-in, where a real race would land it.
type gatedHasher struct {
	auth.Hasher
	armHash, armVerify atomic.Bool
	entered, release   chan struct{}
}

func newGatedHasher(tb testing.TB, cost int) *gatedHasher {
	return &gatedHasher{Hasher: bcryptAt(tb, cost), entered: make(chan struct{}), release: make(chan struct{})}
}

func (g *gatedHasher) park(armed *atomic.Bool) {
	if armed.CompareAndSwap(true, false) {
		g.entered <- struct{}{}
		<-g.release
	}
}

func (g *gatedHasher) Hash(pw string) (string, error) {
	g.park(&g.armHash)
	return g.Hasher.Hash(pw)
}

func (g *gatedHasher) Verify(hash, pw string) (bool, error) {
	g.park(&g.armVerify)
	return g.Hasher.Verify(hash, pw)
}

// A password change that lands while a sign-in with the old password is hashing leaves that
// sign-in no session (the review's repro kept 7 sessions alive this way).
func TestService_Login_RacesPasswordChange(t *testing.T) {
	storetest.Dialects(t, testLoginRacesPasswordChange)
}

func testLoginRacesPasswordChange(t *testing.T, open func(*testing.T) *store.Store) {
	g := newGatedHasher(t, 4)
	e := newService(t, withStore(open(t)), func(o *auth.Options) { o.Hasher = g })
	tok := e.signUp(t)
	me := principal(tok)

	g.armVerify.Store(true)
	var loginErr error
	var wg sync.WaitGroup
	wg.Go(func() { _, loginErr = e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{}) })
	<-g.entered
	if err := e.svc.ChangePassword(t.Context(), me, auth.ChangePasswordInput{CurrentPassword: testPassword, NewPassword: "brand new password"}); err != nil {
		t.Fatal(err)
	}
	close(g.release)
	wg.Wait()
	if !errors.Is(loginErr, auth.ErrInvalidCredentials) {
		t.Fatalf("sign-in that verified the old password: got %v, want ErrInvalidCredentials", loginErr)
	}
	if list, _ := e.svc.Sessions(t.Context(), me); len(list) != 1 {
		t.Fatalf("got %d sessions, want only the one that changed the password", len(list))
	}
}

// A rehash at sign-in must not write back the old password over a change that landed meanwhile.
func TestService_Rehash_RacesPasswordChange(t *testing.T) {
	storetest.Dialects(t, testRehashRacesPasswordChange)
}

func testRehashRacesPasswordChange(t *testing.T, open func(*testing.T) *store.Store) {
	st := open(t)
	old := newService(t, withStore(st), withCost(t, 5)) // the user's hash is made at cost 5
	old.register(t, testEmail, testPassword)
	tok := old.login(t, testEmail, testPassword)

	g := newGatedHasher(t, 4) // at cost 4, every sign-in rehashes
	e := newService(t, withStore(st), func(o *auth.Options) { o.Hasher = g })
	g.armHash.Store(true)
	var loginErr error
	var wg sync.WaitGroup
	wg.Go(func() { _, loginErr = e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{}) })
	<-g.entered // verified, now rehashing the old password
	if err := old.svc.ChangePassword(t.Context(), principal(tok), auth.ChangePasswordInput{CurrentPassword: testPassword, NewPassword: "brand new password"}); err != nil {
		t.Fatal(err)
	}
	close(g.release)
	wg.Wait()
	if !errors.Is(loginErr, auth.ErrInvalidCredentials) {
		t.Errorf("sign-in racing the change: got %v, want ErrInvalidCredentials", loginErr)
	}
	if _, err := e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{}); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Errorf("old password after the change: got %v, want ErrInvalidCredentials", err)
	}
	e.login(t, testEmail, "brand new password")
}

// With every hashing slot taken, a sign-in waits HashWait and is told the server is busy.
func TestService_HashSlots(t *testing.T) {
	g := newGatedHasher(t, 4)
	e := newService(t, func(o *auth.Options) {
		o.Hasher, o.MaxConcurrentHashes, o.HashWait = g, 1, 20*time.Millisecond
	})
	e.register(t, testEmail, testPassword)

	g.armVerify.Store(true)
	var wg sync.WaitGroup
	wg.Go(func() { e.login(t, testEmail, testPassword) })
	<-g.entered // the one slot is taken
	for _, email := range []string{testEmail, "nobody@example.com"} {
		if _, err := e.svc.Login(t.Context(), email, testPassword, auth.Client{}); !errors.Is(err, auth.ErrBusy) {
			t.Errorf("Login(%s) with no free slot: got %v, want ErrBusy", email, err)
		}
	}
	close(g.release)
	wg.Wait()
	e.login(t, testEmail, testPassword)
}

func TestClient_Cleaned(t *testing.T) {
	e := newService(t)
	e.register(t, testEmail, testPassword)
	tok, err := e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{IP: "192.0.2.1", UserAgent: "caf\xe9\x00 \x01browser\n"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.Sessions(t.Context(), principal(tok))
	if err != nil {
		t.Fatal(err)
	}
	if want := "caf\uFFFD browser"; len(list) != 1 || list[0].UserAgent != want {
		t.Fatalf("got %+v, want one session with user agent %q", list, want)
	}
}

// countingHasher counts Verify calls.
type countingHasher struct {
	auth.Hasher
	verifies atomic.Int32
}

func (c *countingHasher) Verify(hash, pw string) (bool, error) {
	c.verifies.Add(1)
	return c.Hasher.Verify(hash, pw)
}

// An unknown email, even one that is not an address at all, costs one bcrypt like a wrong
// password: timing does not tell which emails have accounts.
func TestService_Login_SameWorkForUnknownEmail(t *testing.T) {
	c := &countingHasher{Hasher: bcryptAt(t, 4)}
	e := newService(t, func(o *auth.Options) { o.Hasher = c })
	e.register(t, testEmail, testPassword)
	for _, email := range []string{testEmail, "nobody@example.com", "not an address\x00"} {
		c.verifies.Store(0)
		if _, err := e.svc.Login(t.Context(), email, "wrong password", auth.Client{}); !errors.Is(err, auth.ErrInvalidCredentials) {
			t.Fatalf("Login(%q): got %v, want ErrInvalidCredentials", email, err)
		}
		if got := c.verifies.Load(); got != 1 {
			t.Errorf("Login(%q): got %d bcrypt verifications, want 1", email, got)
		}
	}
}
