// Package password hashes and verifies passwords with bcrypt, and decides which new passwords
// are accepted: Policy (NIST SP 800-63B rev 4), zxcvbn strength scoring that the web app's
// meter reproduces exactly (Score), an operator's Blocklist and the HIBP range API. The
// bcrypt cost is a value passed in, never a global, so tests run fast at a low cost while
// production uses a safe one. It knows nothing of HTTP or storage.
package password

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// MaxBytes is the longest password bcrypt reads in full. Longer ones are refused rather
// than silently truncated, so two passwords that share 72 bytes never collide.
const MaxBytes = 72

// DefaultCost is the production cost (the article's 12: about 250 ms a hash).
const DefaultCost = 12

// ErrTooLong is returned for a password over MaxBytes.
var ErrTooLong = errors.New("password is longer than 72 bytes")

// Bcrypt hashes at one cost and verifies hashes of any cost in the standard $2a$/$2b$/$2y$
// formats, so hashes made by Python's passlib or bcrypt verify here.
type Bcrypt struct {
	cost int
}

// NewBcrypt returns a hasher at cost, which must be within bcrypt's range (4–31).
func NewBcrypt(cost int) (*Bcrypt, error) {
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("bcrypt cost %d is outside %d–%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	return &Bcrypt{cost: cost}, nil
}

// Hash returns a salted bcrypt hash of pw. It returns ErrTooLong for a password over MaxBytes.
func (b *Bcrypt) Hash(pw string) (string, error) {
	if len(pw) > MaxBytes {
		return "", ErrTooLong
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), b.cost)
	if err != nil {
		return "", fmt.Errorf("bcrypt: %w", err)
	}
	return string(h), nil
}

// Verify reports whether pw matches hash. A mismatch is (false, nil); an error means the
// stored hash is malformed. bcrypt reads only the first MaxBytes, so a longer password that
// shares them would match: it is refused, after the same work.
func (b *Bcrypt) Verify(hash, pw string) (bool, error) {
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
	switch {
	case err == nil:
		return len(pw) <= MaxBytes, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, fmt.Errorf("bcrypt: %w", err)
	}
}

// NeedsRehash reports whether hash was made at another cost than b's (passlib's
// deprecated="auto"): after a successful sign-in the caller stores a fresh hash.
func (b *Bcrypt) NeedsRehash(hash string) bool {
	cost, err := bcrypt.Cost([]byte(hash))
	return err != nil || cost != b.cost
}
