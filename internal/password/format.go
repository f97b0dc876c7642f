package password

import (
	"errors"
	"fmt"
	"strings"
)

// Format names a password-hash format Gatehouse verifies.
type Format string

// The formats Verify accepts. Only FormatBcrypt is ever written; the others come from an
// import and are replaced by bcrypt on the user's next successful sign-in.
const (
	FormatBcrypt       Format = "bcrypt"        // $2a$, $2b$, $2y$
	FormatArgon2id     Format = "argon2id"      // PHC string, version 19
	FormatPBKDF2SHA256 Format = "pbkdf2-sha256" // passlib's pbkdf2_sha256
)

// ErrUnknownFormat is returned for a hash in none of the Formats. Its message names no part
// of the hash, so an importer can print it beside a row's id.
var ErrUnknownFormat = errors.New("unknown password hash format")

// ErrMalformedHash is returned, wrapped with what is wrong, for a hash that starts like one of
// the Formats but does not parse as it strictly.
var ErrMalformedHash = errors.New("malformed password hash")

// ErrOutOfBounds is returned, wrapped with the parameter and its bound, for a well-formed
// hash whose parameters would make one verification cost more memory or time than Gatehouse
// spends on a sign-in (see the Max* constants). Such a hash is refused, never computed.
var ErrOutOfBounds = errors.New("password hash parameters out of bounds")

// maxHashLen bounds a stored hash before any parsing: the longest legitimate one is a
// pbkdf2-sha256 with passlib's largest salt (1024 bytes, 1366 characters).
const maxHashLen = 1500

// Identify parses hash completely, checks its parameters against the bounds, and returns its
// format. It returns ErrUnknownFormat, ErrMalformedHash or ErrOutOfBounds (wrapped) otherwise:
// an importer calls it on each row, so a hash that would fail at sign-in is reported at
// import. bcrypt hashes are bounded by MaxBcryptCost here; at sign-in Verify also accepts
// the cost Gatehouse itself is configured with.
func Identify(hash string) (Format, error) {
	if len(hash) > maxHashLen {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrMalformedHash, maxHashLen)
	}
	switch {
	case isBcrypt(hash):
		if _, err := parseBcrypt(hash, MaxBcryptCost); err != nil {
			return "", err
		}
		return FormatBcrypt, nil
	case strings.HasPrefix(hash, argon2idPrefix):
		if _, err := parseArgon2id(hash); err != nil {
			return "", err
		}
		return FormatArgon2id, nil
	case strings.HasPrefix(hash, pbkdf2SHA256Prefix):
		if _, err := parsePBKDF2SHA256(hash); err != nil {
			return "", err
		}
		return FormatPBKDF2SHA256, nil
	}
	return "", ErrUnknownFormat
}

// verifyImported verifies the formats other than bcrypt, which Bcrypt.Verify handles itself.
func verifyImported(hash, pw string) (bool, error) {
	if len(hash) > maxHashLen {
		return false, fmt.Errorf("%w: longer than %d bytes", ErrMalformedHash, maxHashLen)
	}
	switch {
	case strings.HasPrefix(hash, argon2idPrefix):
		p, err := parseArgon2id(hash)
		if err != nil {
			return false, err
		}
		return p.verify(pw), nil
	case strings.HasPrefix(hash, pbkdf2SHA256Prefix):
		p, err := parsePBKDF2SHA256(hash)
		if err != nil {
			return false, err
		}
		return p.verify(pw)
	}
	return false, ErrUnknownFormat
}

// parseDecimal reads a decimal field strictly: digits only, no sign, no leading zero, at
// most max (which is below 2^32). field names it in errors.
func parseDecimal(s, field string, max uint64) (uint64, error) {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return 0, fmt.Errorf("%w: %s is not a canonical decimal", ErrMalformedHash, field)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%w: %s is not a canonical decimal", ErrMalformedHash, field)
		}
	}
	if len(s) > 10 {
		return 0, fmt.Errorf("%w: %s over %d", ErrOutOfBounds, field, max)
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		n = n*10 + uint64(s[i]-'0')
	}
	if n > max {
		return 0, fmt.Errorf("%w: %s %d over %d", ErrOutOfBounds, field, n, max)
	}
	return n, nil
}
