package password

import (
	"fmt"
	"strings"
)

// MaxBcryptCost bounds the cost of a bcrypt hash Identify accepts from an import: each step
// doubles the work, and cost 31 would take days a sign-in. 14 is about a second of one core
// (BenchmarkVerifyAtBounds), above the 10–13 deployments use. At sign-in Verify also accepts
// up to the cost Gatehouse is configured with, so its own hashes always verify.
const MaxBcryptCost = 14

// bcryptAlphabet is bcrypt's base64 alphabet, for the 22 salt and 31 hash characters.
const bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// isBcrypt reports whether hash has one of the three bcrypt prefixes Gatehouse verifies.
// Others ($2$, crypt_blowfish's buggy $2x$) are unknown formats: golang.org/x/crypto/bcrypt
// would compute them as $2a$, which for $2x$ is not what made them.
func isBcrypt(hash string) bool {
	return strings.HasPrefix(hash, "$2a$") || strings.HasPrefix(hash, "$2b$") || strings.HasPrefix(hash, "$2y$")
}

// parseBcrypt checks hash strictly ("$2?$CC$" and 53 characters of bcrypt's alphabet, 60 in
// all) and returns its cost, which must be 4–maxCost.
func parseBcrypt(hash string, maxCost int) (int, error) {
	if len(hash) != 60 || hash[6] != '$' {
		return 0, fmt.Errorf("%w: bcrypt wants 60 characters as $2b$CC$…", ErrMalformedHash)
	}
	c1, c2 := hash[4], hash[5]
	if c1 < '0' || c1 > '9' || c2 < '0' || c2 > '9' {
		return 0, fmt.Errorf("%w: bcrypt cost is not two digits", ErrMalformedHash)
	}
	cost := int(c1-'0')*10 + int(c2-'0')
	if cost < 4 || cost > 31 {
		return 0, fmt.Errorf("%w: bcrypt cost %d outside 4–31", ErrMalformedHash, cost)
	}
	if cost > maxCost {
		return 0, fmt.Errorf("%w: bcrypt cost %d over %d", ErrOutOfBounds, cost, maxCost)
	}
	for i := 7; i < len(hash); i++ {
		if !strings.ContainsRune(bcryptAlphabet, rune(hash[i])) {
			return 0, fmt.Errorf("%w: bcrypt salt or hash outside its alphabet", ErrMalformedHash)
		}
	}
	return cost, nil
}

// Truncating reports whether hash is a bcrypt hash in a form Gatehouse never writes ($2b$ or
// $2y$: golang.org/x/crypto/bcrypt writes only $2a$), so it was imported, and the library
// that made it — passlib (the article's app), Python's bcrypt before 5.0, PHP — read only the
// first MaxBytes of a password and silently ignored the rest. For such a hash a user's
// password over MaxBytes matches through VerifyTruncated, not Verify. An imported $2a$ hash
// cannot be told from Gatehouse's own: a caller that records where a hash came from may use
// VerifyTruncated for it too; without that its users with over-long passwords must reset.
func Truncating(hash string) bool {
	return strings.HasPrefix(hash, "$2b$") || strings.HasPrefix(hash, "$2y$")
}

// VerifyTruncated reports whether pw matches hash the way the truncating library that made it
// compared: a bcrypt hash against pw's first MaxBytes bytes (cut in the middle of a UTF-8
// sequence if that is where byte 72 falls, as passlib cut it). Other formats read the whole
// password, so for them it is Verify. It does the work of one Verify, so the caller picks one:
//
//	if len(pw) > password.MaxBytes && password.Truncating(hash) {
//		ok, err = b.VerifyTruncated(hash, pw) // ok means: sign in once, then require a new password
//	} else {
//		ok, err = b.Verify(hash, pw)
//	}
//
// A true result for a pw over MaxBytes proves only its first MaxBytes, which is all the old
// system ever checked; Gatehouse cannot rehash it (Hash refuses pw), hence the new password.
func (b *Bcrypt) VerifyTruncated(hash, pw string) (bool, error) {
	if isBcrypt(hash) && len(pw) > MaxBytes {
		pw = pw[:MaxBytes]
	}
	return b.Verify(hash, pw)
}
