package password

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestBcrypt_HashVerify(t *testing.T) {
	b := mustBcrypt(t, bcrypt.MinCost)
	hash, err := b.Hash("securepass123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$2a$04$") {
		t.Fatalf("got hash prefix %q, want $2a$04$", hash[:7])
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"right", "securepass123", true},
		{"wrong", "securepass124", false},
		{"empty", "", false},
		{"case", "SECUREPASS123", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.Verify(hash, tt.pw)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// Python's bcrypt and passlib write $2b$; PHP writes $2y$. The algorithm is the same for
// passwords bcrypt hashes correctly, so each prefix must verify.
func TestBcrypt_VerifiesOtherPrefixes(t *testing.T) {
	b := mustBcrypt(t, bcrypt.MinCost)
	hash, err := b.Hash("password123")
	if err != nil {
		t.Fatal(err)
	}
	for _, prefix := range []string{"$2b$", "$2y$"} {
		other := prefix + strings.TrimPrefix(hash, "$2a$")
		if ok, err := b.Verify(other, "password123"); err != nil || !ok {
			t.Errorf("%s: got (%v, %v), want (true, nil)", prefix, ok, err)
		}
	}
}

// Published bcrypt test vectors (OpenBSD's, as jBCrypt ships them), in $2a$ and in the $2b$
// form Python's bcrypt and passlib write: hashes from other implementations must verify.
func TestBcrypt_VerifiesPublishedVectors(t *testing.T) {
	vectors := []struct{ pw, hash string }{
		{"", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."},
		{"a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"},
		{"abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"},
	}
	b := mustBcrypt(t, bcrypt.MinCost)
	for _, v := range vectors {
		for _, hash := range []string{v.hash, "$2b$" + strings.TrimPrefix(v.hash, "$2a$")} {
			if ok, err := b.Verify(hash, v.pw); err != nil || !ok {
				t.Errorf("Verify(%q, %q): got (%v, %v), want (true, nil)", hash, v.pw, ok, err)
			}
			if ok, _ := b.Verify(hash, v.pw+"x"); ok {
				t.Errorf("Verify(%q, %q+x): got true, want false", hash, v.pw)
			}
		}
	}
}

func TestBcrypt_TooLong(t *testing.T) {
	b := mustBcrypt(t, bcrypt.MinCost)
	if _, err := b.Hash(strings.Repeat("a", MaxBytes)); err != nil {
		t.Fatalf("72 bytes: got %v, want nil", err)
	}
	// 71 ASCII bytes plus a 2-byte rune: 73 bytes though only 72 characters.
	if _, err := b.Hash(strings.Repeat("a", 71) + "é"); !errors.Is(err, ErrTooLong) {
		t.Fatalf("73 bytes: got %v, want ErrTooLong", err)
	}
}

// A password that shares its first 72 bytes with the real one is not it, though bcrypt
// would say so.
func TestBcrypt_VerifyPastLimit(t *testing.T) {
	b := mustBcrypt(t, bcrypt.MinCost)
	real := strings.Repeat("p", MaxBytes)
	hash, err := b.Hash(real)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.Verify(hash, real); !ok {
		t.Fatal("the 72-byte password does not verify")
	}
	if ok, err := b.Verify(hash, real+"anything"); ok || err != nil {
		t.Fatalf("72 bytes plus more: got (%v, %v), want (false, nil)", ok, err)
	}
}

func TestBcrypt_NeedsRehash(t *testing.T) {
	low := mustBcrypt(t, 4)
	high := mustBcrypt(t, 5)
	hash, err := low.Hash("password123")
	if err != nil {
		t.Fatal(err)
	}
	if low.NeedsRehash(hash) {
		t.Error("same cost: got NeedsRehash true, want false")
	}
	if !high.NeedsRehash(hash) {
		t.Error("other cost: got NeedsRehash false, want true")
	}
	if !high.NeedsRehash("not a hash") {
		t.Error("malformed: got NeedsRehash false, want true")
	}
}

func TestBcrypt_MalformedHash(t *testing.T) {
	b := mustBcrypt(t, bcrypt.MinCost)
	if _, err := b.Verify("$argon2id$nope", "pw"); err == nil {
		t.Fatal("got nil error for a malformed hash, want one")
	}
}

func TestNewBcrypt_Range(t *testing.T) {
	for _, cost := range []int{3, 32} {
		if _, err := NewBcrypt(cost); err == nil {
			t.Errorf("cost %d: got nil error, want one", cost)
		}
	}
}

func mustBcrypt(t *testing.T, cost int) *Bcrypt {
	t.Helper()
	b, err := NewBcrypt(cost)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func BenchmarkHash(b *testing.B) {
	for _, cost := range []int{10, 12} {
		h := &Bcrypt{cost: cost}
		b.Run(fmt.Sprintf("cost%d", cost), func(b *testing.B) {
			for b.Loop() {
				if _, err := h.Hash("securepass123"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
