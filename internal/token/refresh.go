package token

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"
)

const (
	selectorBytes = 16
	verifierBytes = 32 // 256 random bits
	// SaltBytes is the size of the successor salt stored with each refresh token.
	SaltBytes = 32
)

// strict decodes base64url without padding and refuses non-canonical spellings.
var strict = base64.RawURLEncoding.Strict()

// ErrMalformedRefresh is returned by ParseRefresh for a string that is not a refresh token.
var ErrMalformedRefresh = errors.New("malformed refresh token")

// Refresh is an opaque refresh token, "<selector>.<verifier>" in base64url. The selector
// finds the stored row; only a hash of the verifier is stored, and it is compared in
// constant time, so neither a database leak nor response timing yields a usable token.
type Refresh struct {
	Selector string
	verifier []byte
}

// NewRefresh returns a random refresh token.
func NewRefresh() (Refresh, error) {
	sel := make([]byte, selectorBytes)
	ver := make([]byte, verifierBytes)
	if _, err := rand.Read(sel); err != nil {
		return Refresh{}, err
	}
	if _, err := rand.Read(ver); err != nil {
		return Refresh{}, err
	}
	return Refresh{Selector: b64(sel), verifier: ver}, nil
}

// NewSalt returns a random successor salt.
func NewSalt() ([]byte, error) {
	salt := make([]byte, SaltBytes)
	_, err := rand.Read(salt)
	return salt, err
}

// ParseRefresh splits a presented token. It returns ErrMalformedRefresh for anything else,
// including a token with stray characters that a lenient decoder would skip (line breaks) and
// a non-canonical spelling (the last character's unused bits set): every token has exactly one
// spelling, so whatever matches tokens by their text (logs, deny lists) cannot miss a variant.
func ParseRefresh(s string) (Refresh, error) {
	if strings.IndexFunc(s, func(r rune) bool { return !isB64URL(r) && r != '.' }) >= 0 {
		return Refresh{}, ErrMalformedRefresh
	}
	sel, ver, ok := strings.Cut(s, ".")
	if !ok || len(sel) != base64.RawURLEncoding.EncodedLen(selectorBytes) {
		return Refresh{}, ErrMalformedRefresh
	}
	v, err := strict.DecodeString(ver)
	if err != nil || len(v) != verifierBytes {
		return Refresh{}, ErrMalformedRefresh
	}
	if _, err := strict.DecodeString(sel); err != nil {
		return Refresh{}, ErrMalformedRefresh
	}
	return Refresh{Selector: sel, verifier: v}, nil
}

// String returns the token as the client holds it.
func (r Refresh) String() string { return r.Selector + "." + b64(r.verifier) }

// Hash returns what is stored: SHA-256 of the verifier. The verifier is 256 random bits, so a
// fast hash is enough; a slow one would only slow every refresh.
func (r Refresh) Hash() []byte {
	sum := sha256.Sum256(r.verifier)
	return sum[:]
}

// Matches reports, in constant time, whether r's verifier hashes to stored.
func (r Refresh) Matches(stored []byte) bool {
	return subtle.ConstantTimeCompare(r.Hash(), stored) == 1
}

// Successor derives the token that replaces r, keyed by r's verifier and the salt stored with
// r. Deriving rather than drawing it lets two tabs that refresh at once receive the same
// successor without its plaintext ever being stored.
func (r Refresh) Successor(salt []byte) Refresh {
	mac := func(label string) []byte {
		h := hmac.New(sha256.New, r.verifier)
		h.Write([]byte(label))
		h.Write(salt)
		return h.Sum(nil)
	}
	return Refresh{
		Selector: b64(mac("gatehouse refresh selector")[:selectorBytes]),
		verifier: mac("gatehouse refresh verifier")[:verifierBytes],
	}
}

func isB64URL(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_'
}
