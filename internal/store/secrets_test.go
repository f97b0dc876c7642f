package store_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/token"
)

func newRing(t *testing.T, previous ...[]byte) (*secret.Keyring, []byte) {
	t.Helper()
	key, err := secret.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	r, err := secret.NewKeyring(key, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return r, key
}

func openWith(t *testing.T, url string, ring *secret.Keyring) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), url, ring)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func migrate(t *testing.T, s *store.Store) {
	t.Helper()
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if err := s.SealSecrets(t.Context()); err != nil {
		t.Fatalf("SealSecrets: %v", err)
	}
}

func signingKey(t *testing.T, created time.Time) token.SigningKey {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	rand.Read(seed)
	return token.SigningKey{ID: "kid-" + created.Format("150405"), Seed: seed, CreatedAt: created}
}

// storedSeeds returns the bytes signing_keys.seed holds, by key id, and whether each is sealed.
func storedSeeds(t *testing.T, s *store.Store) (map[string][]byte, map[string]bool) {
	t.Helper()
	rows, err := store.DB(s).QueryContext(t.Context(), `SELECT id, seed, seed_sealed FROM signing_keys`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seeds, sealed := map[string][]byte{}, map[string]bool{}
	for rows.Next() {
		var id string
		var seed []byte
		var ok bool
		if err := rows.Scan(&id, &seed, &ok); err != nil {
			t.Fatal(err)
		}
		seeds[id], sealed[id] = seed, ok
	}
	return seeds, sealed
}

func wantSeeds(t *testing.T, s *store.Store, want ...token.SigningKey) {
	t.Helper()
	keys, err := s.ListSigningKeys(t.Context())
	if err != nil {
		t.Fatalf("ListSigningKeys: %v", err)
	}
	got := map[string][]byte{}
	for _, k := range keys {
		got[k.ID] = k.Seed
	}
	for _, k := range want {
		if !bytes.Equal(got[k.ID], k.Seed) {
			t.Errorf("key %s: got seed %x, want %x", k.ID, got[k.ID], k.Seed)
		}
	}
}

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func TestSecrets(t *testing.T) {
	dialects := []struct {
		name string
		url  func(t testing.TB) string
	}{
		{store.DialectSQLite, storetest.SQLiteURL},
		{store.DialectPostgres, storetest.PostgresURL},
	}
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			t.Run("SeedStoredSealed", func(t *testing.T) {
				s := openWith(t, d.url(t), storetest.Secrets())
				migrate(t, s)
				k := signingKey(t, t0)
				if err := s.CreateSigningKey(t.Context(), k); err != nil {
					t.Fatal(err)
				}
				seeds, sealed := storedSeeds(t, s)
				if bytes.Contains(seeds[k.ID], k.Seed) || !sealed[k.ID] {
					t.Errorf("stored seed %x (sealed %v) contains the seed %x", seeds[k.ID], sealed[k.ID], k.Seed)
				}
				wantSeeds(t, s, k)
			})

			t.Run("PlaintextFromBefore", func(t *testing.T) {
				// A database that a Gatehouse before migration 0004 left: plaintext seeds.
				url := d.url(t)
				s := openWith(t, url, storetest.Secrets())
				if err := store.MigrateTo(t.Context(), s, 2); err != nil {
					t.Fatal(err)
				}
				old := []token.SigningKey{signingKey(t, t0), signingKey(t, t0.Add(time.Hour))}
				for _, k := range old {
					if err := store.InsertPlaintextKey(t.Context(), s, k); err != nil {
						t.Fatal(err)
					}
				}
				if err := s.Migrate(t.Context()); err != nil {
					t.Fatal(err)
				}
				if _, err := s.ListSigningKeys(t.Context()); err == nil {
					t.Error("ListSigningKeys before SealSecrets: got nil error, want a refusal of plaintext")
				}
				if err := s.SealSecrets(t.Context()); err != nil {
					t.Fatalf("SealSecrets: %v", err)
				}
				seeds, sealed := storedSeeds(t, s)
				for _, k := range old {
					if bytes.Contains(seeds[k.ID], k.Seed) || !sealed[k.ID] {
						t.Errorf("key %s after SealSecrets: stored %x, sealed %v; want sealed, without the seed", k.ID, seeds[k.ID], sealed[k.ID])
					}
				}
				wantSeeds(t, s, old...)
				if err := s.SealSecrets(t.Context()); err != nil { // again: nothing to do
					t.Fatalf("SealSecrets again: %v", err)
				}
				wantSeeds(t, s, old...)
			})

			t.Run("BoundToRow", func(t *testing.T) {
				s := openWith(t, d.url(t), storetest.Secrets())
				migrate(t, s)
				a, b := signingKey(t, t0), signingKey(t, t0.Add(time.Hour))
				for _, k := range []token.SigningKey{a, b} {
					if err := s.CreateSigningKey(t.Context(), k); err != nil {
						t.Fatal(err)
					}
				}
				seeds, _ := storedSeeds(t, s)
				// Someone with write access to the database copies b's sealed seed into a's row.
				if _, err := store.DB(s).ExecContext(t.Context(), `UPDATE signing_keys SET seed = $1 WHERE id = $2`, seeds[b.ID], a.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := s.ListSigningKeys(t.Context()); !errors.Is(err, secret.ErrTampered) {
					t.Errorf("ListSigningKeys: got %v, want ErrTampered", err)
				}
				if err := s.SealSecrets(t.Context()); !errors.Is(err, secret.ErrTampered) {
					t.Errorf("SealSecrets: got %v, want ErrTampered", err)
				}
			})

			t.Run("WrongKey", func(t *testing.T) {
				url := d.url(t)
				migrate(t, openWith(t, url, storetest.Secrets()))
				k := signingKey(t, t0)
				if err := openWith(t, url, storetest.Secrets()).CreateSigningKey(t.Context(), k); err != nil {
					t.Fatal(err)
				}
				other, _ := newRing(t)
				err := openWith(t, url, other).SealSecrets(t.Context())
				var unknown *secret.UnknownKeyError
				if !errors.As(err, &unknown) || unknown.KeyID != storetest.Secrets().KeyID() {
					t.Fatalf("SealSecrets under another key: got %v, want an UnknownKeyError naming %s", err, storetest.Secrets().KeyID())
				}
			})

			t.Run("Reseal", func(t *testing.T) {
				url := d.url(t)
				oldRing, oldKey := newRing(t)
				s := openWith(t, url, oldRing)
				migrate(t, s)
				keys := []token.SigningKey{signingKey(t, t0), signingKey(t, t0.Add(time.Hour))}
				for _, k := range keys {
					if err := s.CreateSigningKey(t.Context(), k); err != nil {
						t.Fatal(err)
					}
				}
				// A queued mail's body is a sealed secret too.
				queued := &mail.Message{To: "a@example.com", Kind: mail.KindVerifyEmail, Subject: "s", Text: "t", HTML: "h"}
				if err := s.EnqueueMail(t.Context(), t0, queued); err != nil {
					t.Fatal(err)
				}
				rotating, newKey := newRing(t, oldKey)
				s = openWith(t, url, rotating)
				if err := s.SealSecrets(t.Context()); err != nil {
					t.Fatalf("SealSecrets with the old key as previous: %v", err)
				}
				if n, err := s.ResealSecrets(t.Context()); err != nil || n != 3 {
					t.Fatalf("ResealSecrets: got %d, %v; want 3 (two seeds, one mail body), nil", n, err)
				}
				if n, err := s.ResealSecrets(t.Context()); err != nil || n != 0 {
					t.Fatalf("ResealSecrets again: got %d, %v; want 0, nil", n, err)
				}
				onlyNew, err := secret.NewKeyring(newKey)
				if err != nil {
					t.Fatal(err)
				}
				s = openWith(t, url, onlyNew)
				if err := s.SealSecrets(t.Context()); err != nil {
					t.Fatalf("SealSecrets without the old key: %v", err)
				}
				wantSeeds(t, s, keys...)
				if got, err := s.ClaimMail(t.Context(), t0, time.Minute, 1); err != nil || len(got) != 1 || got[0].Text != "t" {
					t.Errorf("ClaimMail after the reseal: got %+v, %v; want the mail, opened under the new key", got, err)
				}
				if err := openWith(t, url, oldRing).SealSecrets(t.Context()); err == nil {
					t.Error("SealSecrets with only the old key after the reseal: got nil error")
				}
			})
		})
	}
}

// TestMailBodySealed checks that a queued mail's body is stored sealed, bound to its row.
func TestMailBodySealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		m := &mail.Message{To: "a@example.com", Kind: mail.KindPasswordReset, Subject: "s",
			Text: "text https://x.example/#token=live-token-123", HTML: "<a>live-token-123</a>"}
		if err := s.EnqueueMail(t.Context(), time.Now(), m); err != nil {
			t.Fatal(err)
		}
		var body []byte
		if err := store.DB(s).QueryRowContext(t.Context(), `SELECT body FROM mail_outbox WHERE id = $1`, m.ID).Scan(&body); err != nil {
			t.Fatal(err)
		}
		if len(body) == 0 || bytes.Contains(body, []byte("live-token-123")) {
			t.Fatalf("stored body: got %q, want a sealed envelope without the token", body)
		}
		// Copied into another row, the envelope does not open: SealSecrets names the row.
		other := &mail.Message{To: "b@example.com", Kind: mail.KindPasswordReset, Subject: "s", Text: "t", HTML: "h"}
		if err := s.EnqueueMail(t.Context(), time.Now(), other); err != nil {
			t.Fatal(err)
		}
		if _, err := store.DB(s).ExecContext(t.Context(), `UPDATE mail_outbox SET body = $1 WHERE id = $2`, body, other.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SealSecrets(t.Context()); err == nil || !strings.Contains(err.Error(), other.ID.String()) {
			t.Errorf("SealSecrets with a moved envelope: got %v, want an error naming %s", err, other.ID)
		}
	})
}
