package token

import (
	"context"
	"crypto/ed25519"
	"time"
)

// SigningKey is one Ed25519 key pair for access tokens. Keys live in the database, not on
// one machine's disk, so every instance behind a load balancer signs and verifies alike.
type SigningKey struct {
	// ID is the key's kid: the JWT header names it and the JWKS publishes it.
	ID string
	// Seed is the 32-byte Ed25519 seed the private key is derived from.
	Seed      []byte
	CreatedAt time.Time
	// RetiredAt is set once a newer key signs; a retired key is still published until the
	// tokens it signed have expired.
	RetiredAt *time.Time
}

// Private returns the key's private half.
func (k SigningKey) Private() ed25519.PrivateKey { return ed25519.NewKeyFromSeed(k.Seed) }

// Public returns the key's public half.
func (k SigningKey) Public() ed25519.PublicKey {
	return k.Private().Public().(ed25519.PublicKey)
}

// KeyStore keeps signing keys. Implementations must be safe for concurrent use.
type KeyStore interface {
	// ListSigningKeys returns every stored key, newest first.
	ListSigningKeys(ctx context.Context) ([]SigningKey, error)
	// CreateSigningKey inserts k and, in the same transaction, retires every key created
	// before k that is not retired yet (RetiredAt = k.CreatedAt). A key created after k (by
	// another instance whose insert committed first) stays unretired: the newest key wins,
	// whatever the commit order.
	CreateSigningKey(ctx context.Context, k SigningKey) error
	// DeleteSigningKeysRetiredBefore deletes keys retired before t: no unexpired token can
	// name them any more.
	DeleteSigningKeysRetiredBefore(ctx context.Context, t time.Time) error
}
