package password

import (
	"errors"
	"strings"
	"testing"
)

// Valid hashes of "securepass123", taken from testdata/vectors.json, to mutate below.
const (
	goodArgon2 = "$argon2id$v=19$m=2048,t=2,p=2$TdExX3VYXAQ$US+ZiFU+FDovGIIufw2Jcw"
	goodPBKDF2 = "$pbkdf2-sha256$1000$IYSwFoKQcq619v7f27uXsg$dINiUeOm46X9tcwxsQBl760Vtt7AnDgvC8bWxsOIChE"
)

func TestIdentify_Rejects(t *testing.T) {
	salt16 := "zPnfm/Oek5IyppQSglAKgQ"
	key32 := "FUnOQN1dWX2sPvqBJ" + strings.Repeat("A", 26)
	ab64Sum := "dINiUeOm46X9tcwxsQBl760Vtt7" + strings.Repeat("A", 16)
	tests := []struct {
		name, hash string
		want       error
	}{
		{"empty", "", ErrUnknownFormat},
		{"plain text", "securepass123", ErrUnknownFormat},
		{"md5-crypt", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", ErrUnknownFormat},
		{"argon2i", "$argon2i$v=19$m=1024,t=1,p=1$" + salt16 + "$" + key32, ErrUnknownFormat},
		{"bcrypt 2x", "$2x$04$" + strings.Repeat("a", 53), ErrUnknownFormat},
		{"django pbkdf2", "pbkdf2_sha256$600000$salt$hash", ErrUnknownFormat},
		{"too long", "$argon2id$" + strings.Repeat("a", 2000), ErrMalformedHash},

		{"bcrypt short", "$2b$04$abc", ErrMalformedHash},
		{"bcrypt cost letters", "$2b$aa$" + strings.Repeat("a", 53), ErrMalformedHash},
		{"bcrypt cost 3", "$2b$03$" + strings.Repeat("a", 53), ErrMalformedHash},
		{"bcrypt alphabet", "$2b$04$" + strings.Repeat("a", 52) + "+", ErrMalformedHash},
		{"bcrypt cost 15", "$2b$15$" + strings.Repeat("a", 53), ErrOutOfBounds},
		{"bcrypt cost 31", "$2b$31$" + strings.Repeat("a", 53), ErrOutOfBounds},

		{"argon2 no version", "$argon2id$m=1024,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"argon2 version 16", "$argon2id$v=16$m=1024,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"argon2 order", "$argon2id$v=19$t=1,m=1024,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"argon2 keyid", "$argon2id$v=19$m=1024,t=1,p=1,keyid=abc$" + salt16 + "$" + key32, ErrMalformedHash},
		{"argon2 leading zero", "$argon2id$v=19$m=01024,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"argon2 sign", "$argon2id$v=19$m=+1024,t=1,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"argon2 t=0", "$argon2id$v=19$m=1024,t=0,p=1$" + salt16 + "$" + key32, ErrMalformedHash},
		{"argon2 m under 8p", "$argon2id$v=19$m=16,t=1,p=4$" + salt16 + "$" + key32, ErrMalformedHash},
		{"argon2 padded salt", "$argon2id$v=19$m=1024,t=1,p=1$" + salt16 + "==$" + key32, ErrMalformedHash},
		{"argon2 newline", "$argon2id$v=19$m=1024,t=1,p=1$zPnfm/Oek5\nIyppQSglAKgQ$" + key32, ErrMalformedHash},
		{"argon2 url alphabet", "$argon2id$v=19$m=1024,t=1,p=1$zPnfm_Oek5IyppQSglAKgQ$" + key32, ErrMalformedHash},
		{"argon2 missing hash", "$argon2id$v=19$m=1024,t=1,p=1$" + salt16, ErrMalformedHash},
		{"argon2 extra field", goodArgon2 + "$x", ErrMalformedHash},
		{"argon2 4 GiB", "$argon2id$v=19$m=4194304,t=1,p=1$" + salt16 + "$" + key32, ErrOutOfBounds},
		{"argon2 huge m", "$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt16 + "$" + key32, ErrOutOfBounds},
		{"argon2 t=1000", "$argon2id$v=19$m=1024,t=1000,p=1$" + salt16 + "$" + key32, ErrOutOfBounds},
		{"argon2 m×t", "$argon2id$v=19$m=131072,t=5,p=1$" + salt16 + "$" + key32, ErrOutOfBounds},
		{"argon2 256 MiB", "$argon2id$v=19$m=262144,t=1,p=1$" + salt16 + "$" + key32, ErrOutOfBounds},
		{"argon2 p=255", "$argon2id$v=19$m=131072,t=1,p=255$" + salt16 + "$" + key32, ErrOutOfBounds},
		{"argon2 salt 4 bytes", "$argon2id$v=19$m=1024,t=1,p=1$AAAAAA$" + key32, ErrOutOfBounds},
		{"argon2 key 8 bytes", "$argon2id$v=19$m=1024,t=1,p=1$" + salt16 + "$AAAAAAAAAAA", ErrOutOfBounds},
		{"argon2 key 1 KiB", "$argon2id$v=19$m=1024,t=1,p=1$" + salt16 + "$" + strings.Repeat("A", 1366), ErrOutOfBounds},

		{"pbkdf2 no checksum", "$pbkdf2-sha256$1000$IYSwFoKQcq619v7f27uXsg", ErrMalformedHash},
		{"pbkdf2 zero padded", "$pbkdf2-sha256$01000$IYSwFoKQcq619v7f27uXsg$" + ab64Sum, ErrMalformedHash},
		{"pbkdf2 rounds 0", "$pbkdf2-sha256$0$IYSwFoKQcq619v7f27uXsg$" + ab64Sum, ErrMalformedHash},
		{"pbkdf2 negative", "$pbkdf2-sha256$-1$IYSwFoKQcq619v7f27uXsg$" + ab64Sum, ErrMalformedHash},
		{"pbkdf2 plus", "$pbkdf2-sha256$1000$IYSwFoKQcq619v7f27u+sg$" + ab64Sum, ErrMalformedHash},
		{"pbkdf2 short checksum", "$pbkdf2-sha256$1000$IYSwFoKQcq619v7f27uXsg$dINiUeOm46X9", ErrMalformedHash},
		{"pbkdf2 bad length", "$pbkdf2-sha256$1000$IYSwF$" + ab64Sum, ErrMalformedHash},
		{"pbkdf2 4e9 rounds", "$pbkdf2-sha256$4294967295$IYSwFoKQcq619v7f27uXsg$" + ab64Sum, ErrOutOfBounds},
		{"pbkdf2 2000001 rounds", "$pbkdf2-sha256$2000001$IYSwFoKQcq619v7f27uXsg$" + ab64Sum, ErrOutOfBounds},
	}
	b := mustBcrypt(t, 4)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Identify(tt.hash); !errors.Is(err, tt.want) {
				t.Errorf("Identify: got %v, want %v", err, tt.want)
			}
			// Verify refuses the same hashes, without computing them.
			if ok, err := b.Verify(tt.hash, "securepass123"); ok || !errors.Is(err, tt.want) {
				t.Errorf("Verify: got (%v, %v), want (false, %v)", ok, err, tt.want)
			}
			if !b.NeedsRehash(tt.hash) {
				t.Error("NeedsRehash: got false, want true")
			}
		})
	}
}

// The bounds are inclusive: a hash at every limit at once is accepted.
func TestIdentify_AtBounds(t *testing.T) {
	for _, hash := range []string{
		"$argon2id$v=19$m=131072,t=4,p=16$" + strings.Repeat("A", 86) + "$" + strings.Repeat("A", 86),
		"$argon2id$v=19$m=32768,t=16,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$pbkdf2-sha256$2000000$" + strings.Repeat("A", 1366) + "$" + strings.Repeat("A", 43),
		"$2b$14$" + strings.Repeat("a", 53),
	} {
		if _, err := Identify(hash); err != nil {
			t.Errorf("Identify(%.40s…): got %v, want nil", hash, err)
		}
	}
}

// An error never carries the hash: an importer prints it beside the row's id, and a hash is
// a secret.
func TestIdentify_ErrorHidesHash(t *testing.T) {
	for _, hash := range []string{
		"$argon2id$v=19$m=1024,t=1,p=1$SECRETSALTxxxxxxxxxxxx$SECRETKEY",
		"$pbkdf2-sha256$1000$SECRETSALT$SECRETSUM",
		"$2b$04$SECRET",
		"SECRET",
	} {
		if _, err := Identify(hash); err == nil || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("got %v, want an error without the hash", err)
		}
	}
}

// Gatehouse's own hashes run at its configured cost even above MaxBcryptCost.
func TestBcrypt_VerifyOwnCostAboveImportBound(t *testing.T) {
	hash := "$2a$16$" + strings.Repeat("a", 53)
	if _, err := mustBcrypt(t, 4).Verify(hash, "pw"); !errors.Is(err, ErrOutOfBounds) {
		t.Fatalf("cost 4 hasher: got %v, want ErrOutOfBounds", err)
	}
	// A hasher at 16 would spend seconds computing it; its bound is all this checks.
	if _, err := parseBcrypt(hash, max(MaxBcryptCost, 16)); err != nil {
		t.Fatalf("cost 16 hasher: got %v, want nil", err)
	}
}

// Gatehouse writes $2a$ only, so its own hashes never get the truncated semantics.
func TestTruncating_OwnHashes(t *testing.T) {
	b := mustBcrypt(t, 4)
	real := strings.Repeat("p", MaxBytes)
	hash, err := b.Hash(real)
	if err != nil {
		t.Fatal(err)
	}
	if Truncating(hash) {
		t.Errorf("Truncating(own hash %.7s): got true, want false", hash)
	}
	for _, h := range []string{goodArgon2, goodPBKDF2, "nonsense"} {
		if Truncating(h) {
			t.Errorf("Truncating(%.15s): got true, want false", h)
		}
	}
}

// VerifyTruncated reads whole passwords for formats that never truncated.
func TestVerifyTruncated_OtherFormats(t *testing.T) {
	b := mustBcrypt(t, 4)
	for _, hash := range []string{goodArgon2, goodPBKDF2} {
		if ok, err := b.VerifyTruncated(hash, "securepass123"); !ok || err != nil {
			t.Errorf("%.15s right: got (%v, %v), want (true, nil)", hash, ok, err)
		}
		if ok, _ := b.VerifyTruncated(hash, "securepass123"+strings.Repeat("x", 80)); ok {
			t.Errorf("%.15s longer: got true, want false", hash)
		}
	}
}

// No input makes Verify or Identify panic; whatever they accept, they say so consistently.
func FuzzVerify(f *testing.F) {
	for _, s := range []string{goodArgon2, goodPBKDF2, "$2b$04$" + strings.Repeat("a", 53), "$argon2id$", "$pbkdf2-sha256$$$", "$2y$"} {
		f.Add(s)
	}
	b := &Bcrypt{cost: 4}
	f.Fuzz(func(t *testing.T, hash string) {
		_, idErr := Identify(hash)
		_, verr := b.Verify(hash, "securepass123")
		if idErr == nil && verr != nil && !errors.Is(verr, ErrMalformedHash) {
			t.Fatalf("Identify accepted what Verify refuses: %v", verr)
		}
	})
}

// An imported user signs in once with the imported hash; the fresh hash the caller then stores
// is bcrypt at the hasher's cost and asks for nothing more.
func TestImported_ReplacedAfterSignIn(t *testing.T) {
	b := mustBcrypt(t, 4)
	for _, imported := range []string{goodArgon2, goodPBKDF2} {
		ok, err := b.Verify(imported, "securepass123")
		if !ok || err != nil || !b.NeedsRehash(imported) {
			t.Fatalf("%.15s: got Verify (%v, %v), NeedsRehash %v; want (true, nil), true", imported, ok, err, b.NeedsRehash(imported))
		}
		fresh, err := b.Hash("securepass123")
		if err != nil {
			t.Fatal(err)
		}
		if f, err := Identify(fresh); f != FormatBcrypt || err != nil || b.NeedsRehash(fresh) {
			t.Fatalf("fresh hash: got (%q, %v), NeedsRehash %v; want bcrypt, false", f, err, b.NeedsRehash(fresh))
		}
	}
}
