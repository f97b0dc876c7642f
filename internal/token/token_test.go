package token

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// memKeys is a KeyStore in memory: the token package's contract is tested against the real
// stores in internal/store; here only the keyring's own logic is under test.
type memKeys struct {
	mu   sync.Mutex
	keys []SigningKey
}

func (m *memKeys) ListSigningKeys(context.Context) ([]SigningKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.keys)
	slices.Reverse(out)
	return out, nil
}

func (m *memKeys) CreateSigningKey(_ context.Context, k SigningKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.keys {
		if m.keys[i].RetiredAt == nil && m.keys[i].CreatedAt.Before(k.CreatedAt) {
			at := k.CreatedAt
			m.keys[i].RetiredAt = &at
		}
	}
	m.keys = append(m.keys, k)
	return nil
}

func (m *memKeys) DeleteSigningKeysRetiredBefore(_ context.Context, t time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys = slices.DeleteFunc(m.keys, func(k SigningKey) bool { return k.RetiredAt != nil && k.RetiredAt.Before(t) })
	return nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newIssuer(t *testing.T, store KeyStore, c *clock) *Issuer {
	t.Helper()
	ring, err := NewKeyring(context.Background(), store, 15*time.Minute, c.now)
	if err != nil {
		t.Fatal(err)
	}
	return NewIssuer(ring, "https://auth.example", "example-api", 15*time.Minute)
}

func TestIssuer_RoundTrip(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	iss := newIssuer(t, &memKeys{}, c)
	user, session := uuid.New(), uuid.New()
	s, err := iss.Issue(user, session, c.now())
	if err != nil {
		t.Fatal(err)
	}
	got, err := iss.Verify(context.Background(), s, c.now())
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got.UserID != user || got.SessionID != session {
		t.Errorf("got (%s, %s), want (%s, %s)", got.UserID, got.SessionID, user, session)
	}
	if want := c.now().Add(15 * time.Minute); !got.ExpiresAt.Equal(want) {
		t.Errorf("got exp %s, want %s", got.ExpiresAt, want)
	}

	var claims jwt.MapClaims
	tok, _, err := jwt.NewParser().ParseUnverified(s, &claims)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Header["alg"] != "EdDSA" || tok.Header["kid"] == "" {
		t.Errorf("got header %v, want alg EdDSA and a kid", tok.Header)
	}
	for _, name := range []string{"sub", "sid", "iat", "exp", "jti", "iss", "aud"} {
		if _, ok := claims[name]; !ok {
			t.Errorf("claim %q missing from %v", name, claims)
		}
	}
}

func TestIssuer_Rejects(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	store := &memKeys{}
	iss := newIssuer(t, store, c)
	good, err := iss.Issue(uuid.New(), uuid.New(), c.now())
	if err != nil {
		t.Fatal(err)
	}
	key, _ := iss.keys.signer()
	otherIssuer := NewIssuer(iss.keys, "https://evil.example", "example-api", 15*time.Minute)
	otherAudience := NewIssuer(iss.keys, "https://auth.example", "other-api", 15*time.Minute)
	strangerKeys := newIssuer(t, &memKeys{}, c)

	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims, kid string) string {
		tok := jwt.NewWithClaims(method, claims)
		tok.Header["kid"] = kid
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	valid := jwt.MapClaims{
		"sub": uuid.NewString(), "sid": uuid.NewString(), "iss": "https://auth.example",
		"aud": "example-api", "iat": c.now().Unix(), "exp": c.now().Add(time.Minute).Unix(),
	}
	without := func(name string) jwt.MapClaims {
		m := jwt.MapClaims{}
		for k, v := range valid {
			if k != name {
				m[k] = v
			}
		}
		return m
	}

	with := func(name string, v any) jwt.MapClaims {
		m := without(name)
		m[name] = v
		return m
	}
	for _, ok := range []jwt.MapClaims{with("aud", []string{"other", "example-api"}), with("nbf", c.now().Unix())} {
		if _, err := iss.Verify(context.Background(), sign(jwt.SigningMethodEdDSA, key.Private(), ok, key.ID), c.now()); err != nil {
			t.Errorf("Verify(%v): %v, want nil", ok, err)
		}
	}

	tests := []struct {
		name  string
		token func() string
		at    time.Time
	}{
		{"expired", func() string { return good }, c.now().Add(16 * time.Minute)},
		{"tampered", func() string { return good[:len(good)-4] + "AAAA" }, c.now()},
		{"alg none", func() string {
			return sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid, key.ID)
		}, c.now()},
		{"HS256 keyed with the public key", func() string {
			return sign(jwt.SigningMethodHS256, []byte(key.Public()), valid, key.ID)
		}, c.now()},
		{"other issuer", func() string { s, _ := otherIssuer.Issue(uuid.New(), uuid.New(), c.now()); return s }, c.now()},
		{"other audience", func() string { s, _ := otherAudience.Issue(uuid.New(), uuid.New(), c.now()); return s }, c.now()},
		{"unknown key", func() string { s, _ := strangerKeys.Issue(uuid.New(), uuid.New(), c.now()); return s }, c.now()},
		{"no exp", func() string { return sign(jwt.SigningMethodEdDSA, key.Private(), without("exp"), key.ID) }, c.now()},
		{"no sid", func() string { return sign(jwt.SigningMethodEdDSA, key.Private(), without("sid"), key.ID) }, c.now()},
		{"garbage", func() string { return "not.a.jwt" }, c.now()},
		{"four segments", func() string { return good + ".AAAA" }, c.now()},
		{"issued in the future", func() string {
			return sign(jwt.SigningMethodEdDSA, key.Private(), with("iat", c.now().Add(time.Hour).Unix()), key.ID)
		}, c.now()},
		{"not valid yet", func() string {
			return sign(jwt.SigningMethodEdDSA, key.Private(), with("nbf", c.now().Add(time.Hour).Unix()), key.ID)
		}, c.now()},
		{"audiences without ours", func() string {
			return sign(jwt.SigningMethodEdDSA, key.Private(), with("aud", []string{"a", "b"}), key.ID)
		}, c.now()},
		{"sub not a UUID", func() string {
			return sign(jwt.SigningMethodEdDSA, key.Private(), with("sub", "admin"), key.ID)
		}, c.now()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := iss.Verify(context.Background(), tt.token(), tt.at); err == nil {
				t.Fatal("got nil error, want ErrInvalid")
			}
		})
	}
}

func TestKeyring_Rotation(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	store := &memKeys{}
	a := newIssuer(t, store, c)
	old, err := a.Issue(uuid.New(), uuid.New(), c.now())
	if err != nil {
		t.Fatal(err)
	}
	first, _ := a.keys.signer()

	// Another instance on the same store rotates. The new key is published at once but signs
	// only once every cached JWKS can have it.
	c.advance(time.Minute)
	b := newIssuer(t, store, c)
	second, err := b.keys.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := kidOf(t, mustIssue(t, b, c)); got != first.ID {
		t.Fatalf("right after rotation: signed with %s, want the old key %s", got, first.ID)
	}
	if err := a.keys.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if got := len(a.keys.JWKS().Keys); got != 2 {
		t.Fatalf("got %d keys in the JWKS, want 2 (the new one published ahead)", got)
	}

	c.advance(prePublish)
	fresh := mustIssue(t, b, c)
	if got := kidOf(t, fresh); got != second.ID {
		t.Fatalf("after prePublish: signed with %s, want the new key %s", got, second.ID)
	}
	for name, s := range map[string]string{"old": old, "fresh": fresh} {
		if _, err := a.Verify(ctx, s, c.now()); err != nil {
			t.Errorf("%s token after rotation: %v", name, err)
		}
	}

	// Once every token of the retired key has expired, the key leaves the JWKS.
	c.advance(b.keys.publishFor)
	if got := len(a.keys.JWKS().Keys); got != 1 {
		t.Errorf("got %d keys in the JWKS, want 1", got)
	}
}

// An instance that learns of a new key only from a token naming it reloads the store.
func TestKeyring_ReloadsOnUnknownKid(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	store := &memKeys{}
	a := newIssuer(t, store, c)
	b := newIssuer(t, store, c)
	if _, err := b.keys.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	c.advance(prePublish)
	s := mustIssue(t, b, c)
	if _, err := a.Verify(ctx, s, c.now()); err != nil {
		t.Fatalf("a token signed with a key this instance never loaded: %v", err)
	}
}

func mustIssue(t *testing.T, iss *Issuer, c *clock) string {
	t.Helper()
	s, err := iss.Issue(uuid.New(), uuid.New(), c.now())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func kidOf(t *testing.T, s string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(s, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := tok.Header["kid"].(string)
	return kid
}

func TestKeyring_JWKSHasNoPrivateKey(t *testing.T) {
	c := &clock{t: time.Now()}
	iss := newIssuer(t, &memKeys{}, c)
	set := iss.keys.JWKS()
	if len(set.Keys) != 1 {
		t.Fatalf("got %d keys, want 1", len(set.Keys))
	}
	k := set.Keys[0]
	if k.KeyType != "OKP" || k.Curve != "Ed25519" || k.Algorithm != "EdDSA" || k.Use != "sig" {
		t.Errorf("got %+v", k)
	}
	key, _ := iss.keys.signer()
	if k.X != b64(key.Public()) || len(key.Public()) != ed25519.PublicKeySize {
		t.Errorf("x is not the public key")
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct{ Keys []map[string]any }
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw.Keys[0]["d"]; ok || strings.Contains(string(b), b64(key.Seed)) {
		t.Errorf("the JWKS holds private material: %s", b)
	}
}

func TestRefresh(t *testing.T) {
	r, err := NewRefresh()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseRefresh(r.String())
	if err != nil {
		t.Fatalf("ParseRefresh(own token): %v", err)
	}
	if !parsed.Matches(r.Hash()) {
		t.Error("parsed token does not match its own hash")
	}
	other, _ := NewRefresh()
	if other.Matches(r.Hash()) {
		t.Error("another token matches")
	}

	salt, _ := NewSalt()
	s1, s2 := r.Successor(salt), parsed.Successor(salt)
	if s1.String() != s2.String() {
		t.Error("successor is not deterministic")
	}
	otherSalt, _ := NewSalt()
	if r.Successor(otherSalt).String() == s1.String() || s1.String() == r.String() {
		t.Error("successor does not depend on the salt, or equals its parent")
	}
	if _, err := ParseRefresh(s1.String()); err != nil {
		t.Errorf("successor does not parse: %v", err)
	}
}

func TestParseRefresh_Malformed(t *testing.T) {
	r, _ := NewRefresh()
	sel, ver, _ := strings.Cut(r.String(), ".")
	for _, s := range []string{"", ".", "abc", sel, sel + ".", "." + ver, sel + "." + ver[:10], sel[:5] + "." + ver, sel + "." + ver + "!", "!" + sel[1:] + "." + ver, sel + "." + ver + "\n", sel + ".\n" + ver, sel + "." + ver + "." + ver} {
		if _, err := ParseRefresh(s); err == nil {
			t.Errorf("ParseRefresh(%q): got nil error, want ErrMalformedRefresh", s)
		}
	}
}

func BenchmarkIssuer(b *testing.B) {
	c := &clock{t: time.Now()}
	ring, _ := NewKeyring(context.Background(), &memKeys{}, 15*time.Minute, c.now)
	iss := NewIssuer(ring, "i", "a", 15*time.Minute)
	s, _ := iss.Issue(uuid.New(), uuid.New(), c.now())
	b.Run("Issue", func(b *testing.B) {
		for b.Loop() {
			if _, err := iss.Issue(uuid.New(), uuid.New(), c.now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Verify", func(b *testing.B) {
		for b.Loop() {
			if _, err := iss.Verify(context.Background(), s, c.now()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestKeyring_Refresh(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	store := &memKeys{}
	ring, err := NewKeyring(t.Context(), store, 15*time.Minute, c.now)
	if err != nil {
		t.Fatal(err)
	}
	first := ring.newest().ID
	c.advance(time.Hour)
	if err := ring.Refresh(t.Context(), 2*time.Hour); err != nil || ring.newest().ID != first {
		t.Fatalf("Refresh before the key is due: got %v, newest %s; want %s kept", err, ring.newest().ID, first)
	}
	c.advance(time.Hour)
	if err := ring.Refresh(t.Context(), 2*time.Hour); err != nil || ring.newest().ID == first {
		t.Fatalf("Refresh once the key is due: got %v, want a new key", err)
	}
	second := ring.newest().ID
	c.advance(100 * time.Hour)
	if err := ring.Refresh(t.Context(), 0); err != nil || ring.newest().ID != second {
		t.Fatalf("Refresh with rotation off: got %v, want no new key", err)
	}

	// A key another instance made is picked up.
	other, err := NewKeyring(t.Context(), store, 15*time.Minute, c.now)
	if err != nil {
		t.Fatal(err)
	}
	made, err := other.Rotate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := ring.Refresh(t.Context(), 0); err != nil || ring.newest().ID != made.ID {
		t.Fatalf("Refresh after another instance rotated: got %v, newest %s; want %s", err, ring.newest().ID, made.ID)
	}
}
