// Package token issues and verifies access tokens (EdDSA-signed JWTs), keeps the signing keys
// and publishes their public halves as a JWKS, and makes the opaque refresh tokens. It knows
// nothing of users, HTTP or SQL: keys are kept through the KeyStore it is given.
package token

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"
)

const (
	// reloadAfterMiss bounds how often a token naming an unknown kid makes the keyring read
	// the store, so a flood of forged kids cannot turn into a flood of queries.
	reloadAfterMiss = 10 * time.Second
	// ReloadInterval is how often Refresh should run to reread the keys, to learn of other instances' rotations.
	ReloadInterval = time.Minute
	// JWKSMaxAge is how long others may cache the JWKS (its Cache-Control max-age).
	JWKSMaxAge = 5 * time.Minute
	// prePublish is how long a new key is published before it signs: longer than any cached
	// JWKS lives and than any instance takes to reload, so no verifier meets an unknown kid.
	prePublish = JWKSMaxAge + ReloadInterval
)

// Keyring holds the signing keys. A new key is published first and signs once every cached
// JWKS has seen it; a retired key still verifies (and stays in the JWKS) until every token it
// signed has expired. It is safe for concurrent use.
type Keyring struct {
	store KeyStore
	// publishFor is how long a retired key stays published: it may sign for prePublish after
	// its successor appears, its last tokens live for the access-token lifetime, and clocks
	// and reloads add a little.
	publishFor time.Duration
	now        func() time.Time

	mu       sync.RWMutex
	keys     []loadedKey // newest first
	loadedAt time.Time
}

// loadedKey is a stored key with its halves derived once: deriving an Ed25519 key from its
// seed costs a scalar multiplication, which every signature and verification would repeat.
type loadedKey struct {
	SigningKey
	private ed25519.PrivateKey
	public  ed25519.PublicKey
}

func load(k SigningKey) loadedKey {
	private := ed25519.NewKeyFromSeed(k.Seed)
	return loadedKey{SigningKey: k, private: private, public: private.Public().(ed25519.PublicKey)}
}

// NewKeyring loads the stored keys, for access tokens that live accessTTL, and creates the
// first key if there is none.
func NewKeyring(ctx context.Context, store KeyStore, accessTTL time.Duration, now func() time.Time) (*Keyring, error) {
	k := &Keyring{store: store, publishFor: prePublish + accessTTL + ReloadInterval + leeway, now: now}
	if err := k.Reload(ctx); err != nil {
		return nil, err
	}
	if k.newest() == nil {
		if _, err := k.Rotate(ctx); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Reload reads the keys again, to pick up a rotation done by another instance.
func (k *Keyring) Reload(ctx context.Context) error {
	stored, err := k.store.ListSigningKeys(ctx)
	if err != nil {
		return fmt.Errorf("load signing keys: %w", err)
	}
	keys := make([]loadedKey, len(stored))
	for i, key := range stored {
		keys[i] = load(key)
	}
	k.mu.Lock()
	k.keys, k.loadedAt = keys, k.now()
	k.mu.Unlock()
	return nil
}

// Rotate makes a new signing key, which signs once it has been published for prePublish,
// retires the older ones and forgets keys whose tokens have all expired. Two instances rotating
// at once leave two new keys; the store keeps only the newest unretired, so all instances
// agree on it whatever the commit order.
func (k *Keyring) Rotate(ctx context.Context) (SigningKey, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return SigningKey{}, fmt.Errorf("signing key: %w", err)
	}
	now := k.now().UTC()
	key := SigningKey{Seed: seed, CreatedAt: now}
	key.ID = thumbprint(key.Public())
	if err := k.store.CreateSigningKey(ctx, key); err != nil {
		return SigningKey{}, fmt.Errorf("store signing key: %w", err)
	}
	if err := k.store.DeleteSigningKeysRetiredBefore(ctx, now.Add(-k.publishFor)); err != nil {
		return SigningKey{}, fmt.Errorf("prune signing keys: %w", err)
	}
	return key, k.Reload(ctx)
}

// Refresh is the keyring's background work, for a job that runs every ReloadInterval: it
// rereads the keys, to learn of other instances' rotations, and rotates once the signing key is
// older than rotateEvery (0 never rotates).
func (k *Keyring) Refresh(ctx context.Context, rotateEvery time.Duration) error {
	if err := k.Reload(ctx); err != nil {
		return err
	}
	if newest := k.newest(); rotateEvery > 0 && newest != nil && k.now().Sub(newest.CreatedAt) >= rotateEvery {
		if _, err := k.Rotate(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (k *Keyring) newest() *SigningKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	if len(k.keys) == 0 {
		return nil
	}
	key := k.keys[0].SigningKey
	return &key
}

// signer returns the key that signs now: the newest key published for at least prePublish.
// A first key (nothing older to sign with) signs at once.
func (k *Keyring) signer() (loadedKey, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	ready := k.now().Add(-prePublish)
	var fallback *loadedKey
	for i, key := range k.keys { // newest first
		if !key.CreatedAt.After(ready) {
			return key, nil
		}
		fallback = &k.keys[i]
	}
	if fallback == nil {
		return loadedKey{}, errors.New("no signing key")
	}
	return *fallback, nil
}

// publicKey returns the public key with this kid, if it is still published. An unknown kid
// reloads the store at most once per reloadAfterMiss: the key may be another instance's new one.
func (k *Keyring) publicKey(ctx context.Context, kid string) (ed25519.PublicKey, bool) {
	if pub, ok := k.find(kid); ok {
		return pub, true
	}
	k.mu.RLock()
	stale := k.now().Sub(k.loadedAt) >= reloadAfterMiss
	k.mu.RUnlock()
	if !stale || k.Reload(ctx) != nil {
		return nil, false
	}
	return k.find(kid)
}

func (k *Keyring) find(kid string) (ed25519.PublicKey, bool) {
	for _, key := range k.published() {
		if key.ID == kid {
			return key.public, true
		}
	}
	return nil, false
}

// published returns the keys a verifier may still meet: the active ones and those retired
// within publishFor.
func (k *Keyring) published() []loadedKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	cutoff := k.now().Add(-k.publishFor)
	out := make([]loadedKey, 0, len(k.keys))
	for _, key := range k.keys {
		if key.RetiredAt == nil || key.RetiredAt.After(cutoff) {
			out = append(out, key)
		}
	}
	return out
}

// JWK is one public key in RFC 7517 form (an Ed25519 "OKP" key, RFC 8037).
type JWK struct {
	KeyType   string `json:"kty"`
	Curve     string `json:"crv"`
	X         string `json:"x"`
	KeyID     string `json:"kid"`
	Algorithm string `json:"alg"`
	Use       string `json:"use"`
}

// JWKS is the document served at /.well-known/jwks.json.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// JWKS returns the public halves of the published keys. It never contains a private key.
func (k *Keyring) JWKS() JWKS {
	set := JWKS{Keys: []JWK{}}
	for _, key := range k.published() {
		set.Keys = append(set.Keys, JWK{
			KeyType: "OKP", Curve: "Ed25519", X: b64(key.public),
			KeyID: key.ID, Algorithm: "EdDSA", Use: "sig",
		})
	}
	return set
}

// thumbprint is the RFC 7638 thumbprint of an Ed25519 public key, used as its kid: stable,
// derived from the key alone, and the same on every instance.
func thumbprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + b64(pub) + `"}`))
	return b64(sum[:])
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
