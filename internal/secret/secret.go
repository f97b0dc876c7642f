// Package secret seals small secrets that Gatehouse keeps in its database (signing-key seeds,
// later the CAPTCHA secret) with XChaCha20-Poly1305 under a key that is never stored there, so
// a copy of the database alone (a backup, a dump) yields none of them. It knows nothing of SQL
// or of where the key comes from.
package secret

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size of a secret key: 32 random bytes.
const KeySize = chacha20poly1305.KeySize

const (
	// version is the envelope format: version (1 byte) ‖ key id (idSize) ‖ nonce ‖ ciphertext
	// and tag. A new format gets a new version, so old envelopes stay readable.
	version  = 1
	idSize   = 8
	header   = 1 + idSize
	overhead = header + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead
)

// ErrMalformed is returned by Open for bytes that are not an envelope Seal made.
var ErrMalformed = errors.New("secret: not a sealed value")

// ErrTampered is returned by Open when the envelope does not authenticate under its key: it
// was altered, or it belongs to another row (its additional data differs).
var ErrTampered = errors.New("secret: sealed value does not authenticate (altered, or moved from another row)")

// UnknownKeyError is returned by Open for an envelope sealed under a key the keyring lacks.
type UnknownKeyError struct {
	// KeyID names the key the envelope was sealed under (see Keyring.KeyID).
	KeyID string
}

func (e *UnknownKeyError) Error() string {
	return "secret: sealed under key id " + e.KeyID + ", which is not among the configured keys"
}

// key is one secret key and its id.
type key struct {
	id [idSize]byte
	// subkeys is the root of keys derived for other uses (Derive); never the key itself.
	subkeys []byte
	aead    interface {
		Seal(dst, nonce, plaintext, additionalData []byte) []byte
		Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
	}
}

func newKey(raw []byte) (key, error) {
	if len(raw) != KeySize {
		return key{}, fmt.Errorf("secret: a key is %d bytes, got %d", KeySize, len(raw))
	}
	aead, err := chacha20poly1305.NewX(raw)
	if err != nil {
		return key{}, err
	}
	m := hmac.New(sha256.New, raw)
	m.Write([]byte("gatehouse subkeys\x00"))
	k := key{aead: aead, subkeys: m.Sum(nil)}
	copy(k.id[:], keyID(raw))
	return k, nil
}

// keyID derives a key's public id: a hash of the key under a label of its own, so the id says
// which key sealed an envelope without revealing anything about the key (it is 256 random bits).
func keyID(raw []byte) []byte {
	sum := sha256.Sum256(append([]byte("gatehouse secret key id\x00"), raw...))
	return sum[:idSize]
}

// Keyring seals under its current key and opens envelopes sealed under the current key or any
// previous one, which is what a rotation needs. It is safe for concurrent use.
type Keyring struct {
	current  key
	previous []key
}

// NewKeyring returns a keyring that seals under current and also opens what previous keys
// sealed. Every key must be KeySize bytes.
func NewKeyring(current []byte, previous ...[]byte) (*Keyring, error) {
	c, err := newKey(current)
	if err != nil {
		return nil, err
	}
	r := &Keyring{current: c}
	for _, p := range previous {
		k, err := newKey(p)
		if err != nil {
			return nil, err
		}
		if k.id != c.id {
			r.previous = append(r.previous, k)
		}
	}
	return r, nil
}

// Derive returns a 32-byte key for purpose, derived from the current key (HMAC-SHA-256), so a
// use that needs a key of its own (signing device tokens) gets one that is the same on every
// instance sharing GATEHOUSE_SECRET_KEY, without storing it. Keys for distinct purposes are
// independent, and none reveals the secret key. Rotating the secret key changes every one.
func (r *Keyring) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, r.current.subkeys)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// KeyID returns the current key's id, in hex: safe to log, it reveals nothing of the key.
func (r *Keyring) KeyID() string { return hex.EncodeToString(r.current.id[:]) }

// Seal encrypts plaintext under the current key. additionalData binds the envelope to its
// place (e.g. the table, column and row id): it is authenticated, not stored, and Open must be
// given the same, so an envelope copied into another row does not open there.
func (r *Keyring) Seal(plaintext, additionalData []byte) ([]byte, error) {
	out := make([]byte, header+chacha20poly1305.NonceSizeX, overhead+len(plaintext))
	out[0] = version
	copy(out[1:header], r.current.id[:])
	nonce := out[header:]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("secret: nonce: %w", err)
	}
	return r.current.aead.Seal(out, nonce, plaintext, aad(out[:header], additionalData)), nil
}

// Open decrypts an envelope Seal made with the same additionalData. It returns ErrMalformed,
// an *UnknownKeyError when no configured key sealed it, or ErrTampered.
func (r *Keyring) Open(envelope, additionalData []byte) ([]byte, error) {
	if len(envelope) < overhead || envelope[0] != version {
		return nil, ErrMalformed
	}
	k, ok := r.find(envelope[1:header])
	if !ok {
		return nil, &UnknownKeyError{KeyID: hex.EncodeToString(envelope[1:header])}
	}
	nonce := envelope[header : header+chacha20poly1305.NonceSizeX]
	plain, err := k.aead.Open(nil, nonce, envelope[header+chacha20poly1305.NonceSizeX:], aad(envelope[:header], additionalData))
	if err != nil {
		return nil, ErrTampered
	}
	return plain, nil
}

// Current reports whether envelope was sealed under the current key, so a rotation reseals
// only the others. It does not authenticate the envelope: Open does.
func (r *Keyring) Current(envelope []byte) bool {
	return len(envelope) >= header && envelope[0] == version && bytes.Equal(envelope[1:header], r.current.id[:])
}

func (r *Keyring) find(id []byte) (key, bool) {
	if bytes.Equal(id, r.current.id[:]) {
		return r.current, true
	}
	for _, k := range r.previous {
		if bytes.Equal(id, k.id[:]) {
			return k, true
		}
	}
	return key{}, false
}

// aad authenticates the header (version and key id) along with the caller's additional data,
// so neither can be changed without Open failing.
func aad(hdr, additionalData []byte) []byte {
	return append(append(make([]byte, 0, len(hdr)+len(additionalData)), hdr...), additionalData...)
}

// ParseKey decodes a key written as standard base64 of KeySize bytes, as
// `openssl rand -base64 32` prints it. Surrounding white space is ignored. Its errors never
// contain the text given.
func ParseKey(s string) ([]byte, error) {
	raw, err := base64.StdEncoding.Strict().DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("not standard base64 (make a key with: openssl rand -base64 32)")
	}
	if len(raw) != KeySize {
		return nil, fmt.Errorf("decodes to %d bytes, want %d (make a key with: openssl rand -base64 32)", len(raw), KeySize)
	}
	return raw, nil
}

// NewKey returns a random key.
func NewKey() ([]byte, error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("secret: new key: %w", err)
	}
	return raw, nil
}

// FormatKey writes a key as ParseKey reads it.
func FormatKey(raw []byte) string { return base64.StdEncoding.EncodeToString(raw) }
