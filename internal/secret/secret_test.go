package secret

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func mustKey(t *testing.T) []byte {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustRing(t *testing.T, current []byte, previous ...[]byte) *Keyring {
	t.Helper()
	r, err := NewKeyring(current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestKeyring_RoundTrip(t *testing.T) {
	r := mustRing(t, mustKey(t))
	plain := []byte("an ed25519 seed of thirty-two b.")
	sealed, err := r.Seal(plain, []byte("signing_keys.seed k1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, plain) {
		t.Error("sealed value contains the plaintext")
	}
	if sealed[0] != version || !r.Current(sealed) {
		t.Errorf("got version %d, current %v; want %d, true", sealed[0], r.Current(sealed), version)
	}
	got, err := r.Open(sealed, []byte("signing_keys.seed k1"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open: got %q, %v; want %q", got, err, plain)
	}
	again, _ := r.Seal(plain, []byte("signing_keys.seed k1"))
	if bytes.Equal(again, sealed) {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
}

func TestKeyring_Rejects(t *testing.T) {
	r := mustRing(t, mustKey(t))
	ad := []byte("signing_keys.seed k1")
	sealed, err := r.Seal([]byte("secret"), ad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 1
		return b
	}
	tests := []struct {
		name     string
		envelope []byte
		ad       []byte
		want     func(error) bool
	}{
		{"OtherRow", sealed, []byte("signing_keys.seed k2"), is(ErrTampered)},
		{"NoAdditionalData", sealed, nil, is(ErrTampered)},
		{"FlippedCiphertext", flip(len(sealed) - 1), ad, is(ErrTampered)},
		{"FlippedNonce", flip(header), ad, is(ErrTampered)},
		{"FlippedKeyID", flip(1), ad, func(err error) bool { var u *UnknownKeyError; return errors.As(err, &u) }},
		{"OtherVersion", flip(0), ad, is(ErrMalformed)},
		{"Short", sealed[:overhead-1], ad, is(ErrMalformed)},
		{"Plaintext", []byte("0123456789abcdef0123456789abcdef"), ad, is(ErrMalformed)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Open(tt.envelope, tt.ad)
			if !tt.want(err) || got != nil {
				t.Errorf("Open: got %q, %v", got, err)
			}
		})
	}
	t.Run("WrongKey", func(t *testing.T) {
		other := mustRing(t, mustKey(t))
		_, err := other.Open(sealed, ad)
		var u *UnknownKeyError
		if !errors.As(err, &u) || u.KeyID != r.KeyID() {
			t.Fatalf("Open with another key: got %v, want an UnknownKeyError naming %s", err, r.KeyID())
		}
	})
}

func is(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }

// A rotation: the new keyring opens what the old key sealed while it is listed as previous,
// seals only under the new key, and once the old key is dropped the resealed values still open.
func TestKeyring_Rotation(t *testing.T) {
	oldKey, newKey := mustKey(t), mustKey(t)
	old := mustRing(t, oldKey)
	sealed, _ := old.Seal([]byte("secret"), nil)

	rotating := mustRing(t, newKey, oldKey)
	if rotating.Current(sealed) {
		t.Error("Current: got true for a value under the previous key")
	}
	plain, err := rotating.Open(sealed, nil)
	if err != nil || string(plain) != "secret" {
		t.Fatalf("Open under a previous key: got %q, %v", plain, err)
	}
	resealed, _ := rotating.Seal(plain, nil)
	if !rotating.Current(resealed) {
		t.Error("Current: got false for a value Seal just made")
	}
	after := mustRing(t, newKey)
	if _, err := after.Open(resealed, nil); err != nil {
		t.Errorf("Open after dropping the old key: %v", err)
	}
	if _, err := after.Open(sealed, nil); err == nil {
		t.Error("Open of a value under a dropped key: got nil error")
	}
}

func TestParseKey(t *testing.T) {
	good := FormatKey(bytes.Repeat([]byte{7}, KeySize))
	if k, err := ParseKey(" " + good + "\n"); err != nil || len(k) != KeySize {
		t.Errorf("ParseKey(%q): got %d bytes, %v", good, len(k), err)
	}
	for _, bad := range []string{"", "not base64!", FormatKey(make([]byte, 16)), strings.TrimRight(good, "=")} {
		_, err := ParseKey(bad)
		if err == nil {
			t.Errorf("ParseKey(%q): got nil error", bad)
		} else if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("ParseKey error %q repeats the key", err)
		}
	}
	if _, err := NewKeyring(make([]byte, 16)); err == nil {
		t.Error("NewKeyring with a 16-byte key: got nil error")
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	key, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created || len(key) != KeySize {
		t.Fatalf("first call: got %d bytes, created %v, %v", len(key), created, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: got %v, %v; want mode 0600", info.Mode(), err)
	}
	again, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(again, key) {
		t.Fatalf("second call: got created %v, same key %v, %v", created, bytes.Equal(again, key), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the key file", len(entries))
	}

	t.Run("Concurrent", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "secret.key")
		keys := make([][]byte, 8)
		var wg sync.WaitGroup
		for i := range keys {
			wg.Go(func() {
				k, _, err := LoadOrCreateKeyFile(path)
				if err != nil {
					t.Error(err)
				}
				keys[i] = k
			})
		}
		wg.Wait()
		for _, k := range keys[1:] {
			if !bytes.Equal(k, keys[0]) {
				t.Fatal("concurrent callers got different keys")
			}
		}
	})
	t.Run("Corrupt", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "secret.key")
		os.WriteFile(path, []byte("hunter2"), 0o600)
		_, _, err := LoadOrCreateKeyFile(path)
		if err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("got %v, want an error naming the file and not its content", err)
		}
	})
}

func BenchmarkKeyring(b *testing.B) {
	key, _ := NewKey()
	r, _ := NewKeyring(key)
	seed := make([]byte, 32)
	ad := []byte("gatehouse signing_keys.seed kid")
	sealed, _ := r.Seal(seed, ad)
	b.Run("Seal", func(b *testing.B) {
		for b.Loop() {
			r.Seal(seed, ad)
		}
	})
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			r.Open(sealed, ad)
		}
	})
}
