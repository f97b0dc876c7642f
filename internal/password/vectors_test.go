package password

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// vector is one hash made by a real Python library (testdata/gen_vectors.py).
type vector struct {
	Format    Format `json:"format"`
	Library   string `json:"library"`
	Params    string `json:"params"`
	Name      string `json:"name"`
	Password  string `json:"password"`
	Bytes     int    `json:"password_bytes"`
	Truncated bool   `json:"truncated"`
	Hash      string `json:"hash"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []vector `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) == 0 {
		t.Fatal("no vectors in testdata/vectors.json")
	}
	return file.Vectors
}

// Every hash the real libraries made verifies with its password and no other, is identified
// as its format, and (unless it is bcrypt at the hasher's cost) asks to be rehashed.
func TestVectors(t *testing.T) {
	b := mustBcrypt(t, 4)
	seen := map[Format]int{}
	for _, v := range loadVectors(t) {
		seen[v.Format]++
		t.Run(string(v.Format)+"/"+v.Params+"/"+v.Name, func(t *testing.T) {
			if len(v.Password) != v.Bytes {
				t.Fatalf("password is %d bytes, the generator says %d", len(v.Password), v.Bytes)
			}
			if f, err := Identify(v.Hash); err != nil || f != v.Format {
				t.Errorf("Identify: got (%q, %v), want (%q, nil)", f, err, v.Format)
			}
			ok, err := b.Verify(v.Hash, v.Password)
			if err != nil || ok != !v.Truncated {
				t.Errorf("Verify(right): got (%v, %v), want (%v, nil)", ok, err, !v.Truncated)
			}
			wrong := "!"
			if v.Password != "" {
				wrong += v.Password[1:]
			}
			if ok, err := b.Verify(v.Hash, wrong); ok || err != nil {
				t.Errorf("Verify(wrong): got (%v, %v), want (false, nil)", ok, err)
			}
			wantRehash := v.Format != FormatBcrypt || !strings.HasPrefix(v.Hash[3:], "$04$")
			if got := b.NeedsRehash(v.Hash); got != wantRehash {
				t.Errorf("NeedsRehash: got %v, want %v", got, wantRehash)
			}
			if v.Truncated {
				checkTruncated(t, b, v)
			}
		})
	}
	for _, f := range []Format{FormatBcrypt, FormatArgon2id, FormatPBKDF2SHA256} {
		if seen[f] < 3 {
			t.Errorf("%d vectors of %s, want at least 3", seen[f], f)
		}
	}
}

// checkTruncated checks a bcrypt vector whose password the library cut at 72 bytes.
func checkTruncated(t *testing.T, b *Bcrypt, v vector) {
	t.Helper()
	if ok, err := b.Verify(v.Hash, v.Password[:MaxBytes]); !ok || err != nil {
		t.Errorf("Verify(first 72 bytes): got (%v, %v), want (true, nil)", ok, err)
	}
	wantTruncating := !strings.HasPrefix(v.Hash, "$2a$")
	if got := Truncating(v.Hash); got != wantTruncating {
		t.Errorf("Truncating: got %v, want %v", got, wantTruncating)
	}
	for _, pw := range []string{v.Password, v.Password + "!", v.Password[:MaxBytes] + "anything"} {
		if ok, err := b.VerifyTruncated(v.Hash, pw); !ok || err != nil {
			t.Errorf("VerifyTruncated(%d bytes): got (%v, %v), want (true, nil)", len(pw), ok, err)
		}
	}
	if ok, _ := b.VerifyTruncated(v.Hash, "!"+v.Password[1:]); ok {
		t.Error("VerifyTruncated(wrong): got true, want false")
	}
}

func BenchmarkVerify(b *testing.B) {
	h := &Bcrypt{cost: 4}
	done := map[string]bool{}
	for _, v := range loadVectors(b) {
		key := string(v.Format) + "/" + v.Params
		if done[key] || v.Truncated {
			continue
		}
		done[key] = true
		b.Run(strings.ReplaceAll(key, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				if ok, err := h.Verify(v.Hash, v.Password); !ok || err != nil {
					b.Fatalf("got (%v, %v), want (true, nil)", ok, err)
				}
			}
		})
	}
}

// BenchmarkVerifyAtBounds measures the most a hash within the bounds can cost one sign-in.
func BenchmarkVerifyAtBounds(b *testing.B) {
	h := &Bcrypt{cost: 4}
	key := strings.Repeat("A", 43)
	for _, bb := range []struct{ name, hash string }{
		{"argon2id_m=131072_t=4_p=1", "$argon2id$v=19$m=131072,t=4,p=1$AAAAAAAAAAAAAAAAAAAAAA$" + key},
		{"argon2id_m=131072_t=4_p=16", "$argon2id$v=19$m=131072,t=4,p=16$AAAAAAAAAAAAAAAAAAAAAA$" + key},
		{"argon2id_m=32768_t=16_p=1", "$argon2id$v=19$m=32768,t=16,p=1$AAAAAAAAAAAAAAAAAAAAAA$" + key},
		{"pbkdf2-sha256_rounds=2000000", "$pbkdf2-sha256$2000000$AAAAAAAAAAAAAAAAAAAAAA$" + key},
		{"bcrypt_cost=14", "$2b$14$" + strings.Repeat("a", 53)},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := h.Verify(bb.hash, "securepass123"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
