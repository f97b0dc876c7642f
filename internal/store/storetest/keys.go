package storetest

import (
	"encoding/hex"
	"strings"
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
