package token

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

const b64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// spellings returns every other spelling of the unpadded base64url segment seg that a lenient
// decoder reads as the same bytes: its last character with other values in the bits the
// encoding leaves unused. It fails t if one of them does not decode to seg's bytes.
func spellings(t *testing.T, seg string) []string {
	t.Helper()
	unused := map[int]int{2: 4, 3: 2}[len(seg)%4] // bits unused in the last character
	if unused == 0 {
		return nil
	}
	want, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	last := strings.IndexByte(b64URLAlphabet, seg[len(seg)-1])
	var out []string
	for low := 1; low < 1<<unused; low++ {
		alt := seg[:len(seg)-1] + string(b64URLAlphabet[last&^(1<<unused-1)|low])
		got, err := base64.RawURLEncoding.DecodeString(alt)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("test helper: %q does not decode as %q does", alt, seg)
		}
		out = append(out, alt)
	}
	return out
}

func TestParseRefresh_OneSpelling(t *testing.T) {
	for range 8 { // tokens are random: try several
		r, err := NewRefresh()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseRefresh(r.String()); err != nil {
			t.Fatalf("ParseRefresh of a fresh token: %v", err)
		}
		sel, ver, _ := strings.Cut(r.String(), ".")
		var variants []string
		for _, alt := range spellings(t, sel) {
			variants = append(variants, alt+"."+ver)
		}
		for _, alt := range spellings(t, ver) {
			variants = append(variants, sel+"."+alt)
		}
		if len(variants) != 15+3 {
			t.Fatalf("got %d variants, want 18 (selector 16 spellings, verifier 4)", len(variants))
		}
		for _, v := range variants {
			if _, err := ParseRefresh(v); !errors.Is(err, ErrMalformedRefresh) {
				t.Errorf("ParseRefresh(%q), a variant of %q: got %v, want ErrMalformedRefresh", v, r.String(), err)
			}
		}
	}
}

func TestIssuer_OneSpelling(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	iss := newIssuer(t, &memKeys{}, c)
	tested := 0
	for range 8 { // the claims (jti) vary, and with them the payload's length
		s, err := iss.Issue(uuid.New(), uuid.New(), c.now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := iss.Verify(t.Context(), s, c.now()); err != nil {
			t.Fatalf("Verify of a fresh token: %v", err)
		}
		parts := strings.Split(s, ".")
		for i, part := range parts {
			for _, alt := range spellings(t, part) {
				variant := slicesWith(parts, i, alt)
				if _, err := iss.Verify(t.Context(), variant, c.now()); !errors.Is(err, ErrInvalid) {
					t.Errorf("Verify of a variant in part %d: got %v, want ErrInvalid", i, err)
				}
				tested++
			}
		}
	}
	if tested == 0 {
		t.Fatal("no variant tested")
	}
}

func slicesWith(parts []string, i int, s string) string {
	out := append([]string(nil), parts...)
	out[i] = s
	return strings.Join(out, ".")
}
