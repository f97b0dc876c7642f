package auth_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/password"
)

// hashCountingHasher counts hashes; it keeps Bcrypt's embedded dummy hash.
type hashCountingHasher struct {
	*password.Bcrypt
	hashes atomic.Int64
}

func (c *hashCountingHasher) Hash(pw string) (string, error) {
	c.hashes.Add(1)
	return c.Bcrypt.Hash(pw)
}

// NewService takes the embedded dummy hash and hashes nothing, so start is fast at any cost;
// an unknown email is then verified against it, through the same queue as everything else.
func TestNewService_NoHash(t *testing.T) {
	b, err := password.NewBcrypt(4)
	if err != nil {
		t.Fatal(err)
	}
	c := &hashCountingHasher{Bcrypt: b}
	e := newService(t, func(o *auth.Options) { o.Hasher = c })
	if n := c.hashes.Load(); n != 0 {
		t.Fatalf("NewService hashed %d times, want 0", n)
	}
	before := e.svc.HashStats().Completed
	if _, err := e.svc.Login(t.Context(), "nobody@example.com", testPassword, auth.Client{}); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("Login(unknown): got %v, want ErrInvalidCredentials", err)
	}
	if got := e.svc.HashStats().Completed - before; got != 1 {
		t.Errorf("hashing queue ran %d pieces of work for an unknown email, want 1", got)
	}
}

// A sign-in refused by a full queue gets ErrBusy with a RetryAfter of at least a second,
// for a known and an unknown email alike.
func TestService_HashQueueFull(t *testing.T) {
	g := newGatedHasher(t, 4)
	e := newService(t, func(o *auth.Options) {
		o.Hasher, o.MaxConcurrentHashes, o.HashQueueDepth, o.HashWait = g, 1, -1, time.Minute
	})
	e.register(t, testEmail, testPassword)
	g.armVerify.Store(true)
	var wg sync.WaitGroup
	wg.Go(func() { e.login(t, testEmail, testPassword) })
	<-g.entered
	for _, email := range []string{testEmail, "nobody@example.com"} {
		_, err := e.svc.Login(t.Context(), email, testPassword, auth.Client{})
		ae, ok := errors.AsType[*auth.Error](err)
		if !ok || !errors.Is(err, auth.ErrBusy) || ae.RetryAfter < time.Second {
			t.Errorf("Login(%s) on a full queue: got %#v, want ErrBusy with RetryAfter ≥ 1s", email, err)
		}
	}
	close(g.release)
	wg.Wait()
}
