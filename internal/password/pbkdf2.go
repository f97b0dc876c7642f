package password

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// The bounds on a pbkdf2-sha256 hash. Rounds cost linear time on every sign-in attempt, so a
// hash may not ask for more than about a second of one core (BenchmarkVerifyAtBounds); the
// bound admits passlib's default (29000), OWASP's 600000 and Django's current counts. The
// salt bound is passlib's own.
const (
	MaxPBKDF2Rounds = 2_000_000
	MaxPBKDF2Salt   = 1024 // bytes
)

const pbkdf2SHA256Prefix = "$pbkdf2-sha256$"

// ab64 is passlib's "adapted base64" (passlib.utils.binary.ab64_encode): the standard
// alphabet with "." in place of "+", without padding. passlib's decoder also takes "+", but
// passlib never writes it, so a hash with one is refused as not canonical.
var ab64 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./").WithPadding(base64.NoPadding)

// pbkdf2Params is one parsed passlib pbkdf2_sha256 hash.
type pbkdf2Params struct {
	rounds   int
	salt     []byte
	checksum []byte
}

// parsePBKDF2SHA256 parses passlib's "$pbkdf2-sha256$ROUNDS$SALT$CHECKSUM" strictly: rounds a
// canonical decimal (passlib refuses zero-padded ones too), salt and a 32-byte checksum in
// ab64. The salt is the decoded bytes, as passlib feeds it to PBKDF2.
func parsePBKDF2SHA256(hash string) (*pbkdf2Params, error) {
	parts := strings.Split(strings.TrimPrefix(hash, pbkdf2SHA256Prefix), "$")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: pbkdf2-sha256 wants 3 fields after the prefix, got %d", ErrMalformedHash, len(parts))
	}
	rounds, err := parseDecimal(parts[0], "pbkdf2-sha256 rounds", MaxPBKDF2Rounds)
	if err != nil {
		return nil, err
	}
	if rounds < 1 {
		return nil, fmt.Errorf("%w: pbkdf2-sha256 rounds is 0", ErrMalformedHash)
	}
	salt, err := decodeBase64(ab64, parts[1], "pbkdf2-sha256 salt")
	if err != nil {
		return nil, err
	}
	if len(salt) > MaxPBKDF2Salt {
		return nil, fmt.Errorf("%w: pbkdf2-sha256 salt of %d bytes over %d", ErrOutOfBounds, len(salt), MaxPBKDF2Salt)
	}
	sum, err := decodeBase64(ab64, parts[2], "pbkdf2-sha256 checksum")
	if err != nil {
		return nil, err
	}
	if len(sum) != sha256.Size {
		return nil, fmt.Errorf("%w: pbkdf2-sha256 checksum of %d bytes, want %d", ErrMalformedHash, len(sum), sha256.Size)
	}
	return &pbkdf2Params{rounds: int(rounds), salt: salt, checksum: sum}, nil
}

// verify recomputes the checksum for pw (its UTF-8 bytes, as passlib encodes a str) and
// compares it in constant time.
func (p *pbkdf2Params) verify(pw string) (bool, error) {
	got, err := pbkdf2.Key(sha256.New, pw, p.salt, p.rounds, sha256.Size)
	if err != nil {
		return false, fmt.Errorf("pbkdf2-sha256: %w", err)
	}
	return subtle.ConstantTimeCompare(got, p.checksum) == 1, nil
}
