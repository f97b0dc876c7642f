// Package password hashes passwords with bcrypt and verifies bcrypt and the imported formats
// (argon2id, passlib's pbkdf2_sha256). The cost is a value passed in, never a global, so
// tests run fast at a low cost while production uses a safe one.
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
// formats, so hashes made by Python's passlib or bcrypt verify here. Verify also dispatches
// by prefix to the imported Formats, and NeedsRehash is true for them: the service's Hasher
// keeps its three methods and an imported user becomes a bcrypt one on the next sign-in,
// with no format-aware code outside this package.
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

// Verify reports whether pw matches hash, in any of the Formats. A mismatch is (false, nil);
// an error (ErrUnknownFormat, ErrMalformedHash or ErrOutOfBounds, wrapped) means the stored
// hash cannot be checked, and no work was done on it. bcrypt reads only the first MaxBytes,
// so a longer password that shares them would match: it is refused, after the same work
// (see VerifyTruncated for imported hashes). A bcrypt hash may cost up to MaxBcryptCost or
// b's own cost, whichever is higher.
func (b *Bcrypt) Verify(hash, pw string) (bool, error) {
	if !isBcrypt(hash) {
		return verifyImported(hash, pw)
	}
	if _, err := parseBcrypt(hash, max(MaxBcryptCost, b.cost)); err != nil {
		return false, err
	}
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
	switch {
	case err == nil:
		return len(pw) <= MaxBytes, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, fmt.Errorf("%w: bcrypt: %w", ErrMalformedHash, err)
	}
}

// NeedsRehash reports whether hash is not a bcrypt hash at b's cost (passlib's
// deprecated="auto"): true for every imported format and for bcrypt at another cost, so after
// a successful sign-in the caller stores a fresh hash.
func (b *Bcrypt) NeedsRehash(hash string) bool {
	if !isBcrypt(hash) {
		return true
	}
	cost, err := parseBcrypt(hash, bcrypt.MaxCost)
	return err != nil || cost != b.cost
}
