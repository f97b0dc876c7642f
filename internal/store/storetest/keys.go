package storetest

import (
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

func testListSigningKeys(t *testing.T, s *store.Store) {
	wantKeys(t, s) // none yet
}

func testCreateSigningKey(t *testing.T, s *store.Store) {
	k1 := newKey(t, s, "k1", t0)
	k2 := newKey(t, s, "k2", t0.Add(time.Hour))
	k1.RetiredAt = &k2.CreatedAt
	wantKeys(t, s, k2, k1)
	k3 := newKey(t, s, "k3", t0.Add(2*time.Hour))
	k2.RetiredAt = &k3.CreatedAt // k1 keeps its first retirement
	wantKeys(t, s, k3, k2, k1)

	t.Run("DuplicateIDKeepsSeedSecret", func(t *testing.T) {
		again := token.SigningKey{ID: "k1", Seed: randomBytes(t, 32), CreatedAt: t0.Add(3 * time.Hour)}
		err := s.CreateSigningKey(t.Context(), again)
		if err == nil {
			t.Fatal("CreateSigningKey with a taken id: got nil error, want one")
		}
		if msg := err.Error(); strings.Contains(msg, hex.EncodeToString(again.Seed)) || strings.Contains(msg, string(again.Seed)) {
			t.Errorf("CreateSigningKey error %q contains the seed", msg)
		}
		wantKeys(t, s, k3, k2, k1) // the failed insert retired nothing
	})
}

// testSigningKeyCommitOrder checks that the newest key by CreatedAt is the one left
// unretired, whichever of two instances' inserts commits first.
func testSigningKeyCommitOrder(t *testing.T, open func(*testing.T) *store.Store) {
	newer, older := t0.Add(time.Millisecond), t0
	t.Run("OlderFirst", func(t *testing.T) {
		s := open(t)
		b := newKey(t, s, "b", older)
		a := newKey(t, s, "a", newer)
		b.RetiredAt = &a.CreatedAt
		wantKeys(t, s, a, b)
	})
	t.Run("NewerFirst", func(t *testing.T) {
		s := open(t)
		a := newKey(t, s, "a", newer)
		b := newKey(t, s, "b", older) // must not retire a, which is newer
		b.RetiredAt = &a.CreatedAt    // retired already, from when a took over
		wantKeys(t, s, a, b)
	})
	t.Run("NewerFirstBetweenTwo", func(t *testing.T) {
		s := open(t)
		oldest := newKey(t, s, "oldest", t0.Add(-time.Hour))
		a := newKey(t, s, "a", newer)
		b := newKey(t, s, "b", older)
		oldest.RetiredAt, b.RetiredAt = &a.CreatedAt, &a.CreatedAt
		wantKeys(t, s, a, b, oldest)
	})
	t.Run("SameCreatedAtOrderedByID", func(t *testing.T) {
		s := open(t)
		y := newKey(t, s, "y", t0)
		x := newKey(t, s, "x", t0)
		x.RetiredAt = &y.CreatedAt
		wantKeys(t, s, y, x)
	})
	t.Run("Concurrent", func(t *testing.T) {
		// Instances that start at once must not both miss each other's key and both stay
		// unretired; the newest must win.
		s := open(t)
		const n = 10
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			k := token.SigningKey{ID: fmt.Sprint("k", i), Seed: randomBytes(t, 32), CreatedAt: t0.Add(time.Duration(i*7%n) * time.Millisecond)}
			wg.Go(func() {
				<-start
				errs[i] = s.CreateSigningKey(t.Context(), k)
			})
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			must(t, "CreateSigningKey", err)
		}
		keys, err := s.ListSigningKeys(t.Context())
		must(t, "ListSigningKeys", err)
		var unretired []string
		for _, k := range keys {
			if k.RetiredAt == nil {
				unretired = append(unretired, k.ID)
			}
		}
		wantEqual(t, "unretired keys", unretired, []string{keys[0].ID})
		if want := t0.Add((n - 1) * time.Millisecond); len(keys) != n || !keys[0].CreatedAt.Equal(want) {
			t.Errorf("keys: got %d, newest created %v, want %d, newest created %v", len(keys), keys[0].CreatedAt, n, want)
		}
	})
}

func testDeleteSigningKeysRetiredBefore(t *testing.T, s *store.Store) {
	k1 := newKey(t, s, "k1", t0)
	k2 := newKey(t, s, "k2", t0.Add(time.Hour))
	k3 := newKey(t, s, "k3", t0.Add(2*time.Hour))
	k1.RetiredAt, k2.RetiredAt = &k2.CreatedAt, &k3.CreatedAt
	must(t, "DeleteSigningKeysRetiredBefore", s.DeleteSigningKeysRetiredBefore(t.Context(), k3.CreatedAt))
	wantKeys(t, s, k3, k2) // k2 retired at, not before, the cut-off
	must(t, "DeleteSigningKeysRetiredBefore", s.DeleteSigningKeysRetiredBefore(t.Context(), t0.Add(100*time.Hour)))
	wantKeys(t, s, k3) // the key that signs is never retired
}

// newKey creates a signing key with a random seed.
func newKey(t *testing.T, s *store.Store, id string, created time.Time) *token.SigningKey {
	t.Helper()
	k := token.SigningKey{ID: id, Seed: randomBytes(t, 32), CreatedAt: created}
	must(t, "CreateSigningKey "+id, s.CreateSigningKey(t.Context(), k))
	return &k
}

// wantKeys fails t unless s lists exactly want, in order.
func wantKeys(t *testing.T, s *store.Store, want ...*token.SigningKey) {
	t.Helper()
	got, err := s.ListSigningKeys(t.Context())
	must(t, "ListSigningKeys", err)
	wantList := []token.SigningKey{}
	for _, k := range want {
		wantList = append(wantList, *k)
	}
	if got == nil {
		got = []token.SigningKey{}
	}
	wantEqual(t, "ListSigningKeys", got, wantList)
}
