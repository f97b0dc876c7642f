package password

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The bounds on an argon2id hash's parameters. A stored hash chooses how much memory and time
// its verification takes, so an imported one could ask for gigabytes or minutes on every
// sign-in attempt, made by anyone who knows the email. These admit the library defaults in
// use (argon2-cffi's m=102400,t=2,p=8 until 21.1 and RFC 9106's m=65536,t=3,p=4 after it;
// OWASP's m=19456,t=2,p=1) while keeping one verification near a second of one core
// (BenchmarkVerifyAtBounds); the service's bound on concurrent hashes multiplies the memory
// at most by that bound. A hash past them is reported at import; its user resets.
const (
	MaxArgon2Memory      = 128 * 1024 // KiB (128 MiB) for one verification
	MaxArgon2Time        = 16         // passes over the memory
	MaxArgon2MemoryTime  = 512 * 1024 // KiB × passes (e.g. 128 MiB × 4, 64 MiB × 8, 32 MiB × 16)
	MaxArgon2Parallelism = 16         // lanes (goroutines) for one verification
	MinArgon2Salt        = 8          // bytes; RFC 9106's minimum
	MaxArgon2Salt        = 64         // bytes
	MinArgon2Key         = 16         // bytes; shorter tags are too easy to collide with
	MaxArgon2Key         = 64         // bytes
)

const argon2idPrefix = "$argon2id$"

// argon2Params is one parsed argon2id PHC string.
type argon2Params struct {
	memory      uint32 // KiB
	time        uint32
	parallelism uint8
	salt, key   []byte
}

// parseArgon2id parses "$argon2id$v=19$m=M,t=T,p=P$SALT$KEY" strictly: the parameters in that
// order and no others (no keyid or data), canonical decimals, version 19 only (the one
// golang.org/x/crypto/argon2 computes), salt and key in unpadded standard base64.
func parseArgon2id(hash string) (*argon2Params, error) {
	parts := strings.Split(strings.TrimPrefix(hash, argon2idPrefix), "$")
	if len(parts) != 4 {
		return nil, fmt.Errorf("%w: argon2id wants 4 fields after the prefix, got %d", ErrMalformedHash, len(parts))
	}
	version, ok := strings.CutPrefix(parts[0], "v=")
	if !ok {
		return nil, fmt.Errorf("%w: argon2id version field missing", ErrMalformedHash)
	}
	if v, err := parseDecimal(version, "argon2id version", 1<<32-1); err != nil || v != argon2.Version {
		return nil, fmt.Errorf("%w: argon2id version is not %d", ErrMalformedHash, argon2.Version)
	}
	m, t, par, err := parseArgon2Costs(parts[1])
	if err != nil {
		return nil, err
	}
	if m*t > MaxArgon2MemoryTime {
		return nil, fmt.Errorf("%w: argon2id memory × time %d over %d", ErrOutOfBounds, m*t, MaxArgon2MemoryTime)
	}
	// RFC 9106: at least 8 KiB per lane.
	if m < 8*par {
		return nil, fmt.Errorf("%w: argon2id memory %d KiB under 8 × parallelism", ErrMalformedHash, m)
	}
	salt, err := decodeBase64(base64.RawStdEncoding, parts[2], "argon2id salt")
	if err != nil {
		return nil, err
	}
	if len(salt) < MinArgon2Salt || len(salt) > MaxArgon2Salt {
		return nil, fmt.Errorf("%w: argon2id salt of %d bytes outside %d–%d", ErrOutOfBounds, len(salt), MinArgon2Salt, MaxArgon2Salt)
	}
	key, err := decodeBase64(base64.RawStdEncoding, parts[3], "argon2id hash")
	if err != nil {
		return nil, err
	}
	if len(key) < MinArgon2Key || len(key) > MaxArgon2Key {
		return nil, fmt.Errorf("%w: argon2id hash of %d bytes outside %d–%d", ErrOutOfBounds, len(key), MinArgon2Key, MaxArgon2Key)
	}
	return &argon2Params{memory: uint32(m), time: uint32(t), parallelism: uint8(par), salt: salt, key: key}, nil
}

// parseArgon2Costs parses "m=M,t=T,p=P" and checks each against its bound.
func parseArgon2Costs(field string) (m, t, p uint64, err error) {
	costs := strings.Split(field, ",")
	if len(costs) != 3 {
		return 0, 0, 0, fmt.Errorf("%w: argon2id wants m=,t=,p=", ErrMalformedHash)
	}
	specs := []struct {
		name     string
		min, max uint64
		dst      *uint64
	}{
		{"m", 1, MaxArgon2Memory, &m},
		{"t", 1, MaxArgon2Time, &t},
		{"p", 1, MaxArgon2Parallelism, &p},
	}
	for i, s := range specs {
		v, ok := strings.CutPrefix(costs[i], s.name+"=")
		if !ok {
			return 0, 0, 0, fmt.Errorf("%w: argon2id wants m=,t=,p= in that order", ErrMalformedHash)
		}
		n, err := parseDecimal(v, "argon2id "+s.name, s.max)
		if err != nil {
			return 0, 0, 0, err
		}
		if n < s.min {
			return 0, 0, 0, fmt.Errorf("%w: argon2id %s is 0", ErrMalformedHash, s.name)
		}
		*s.dst = n
	}
	return m, t, p, nil
}

// verify recomputes the key for pw and compares it in constant time.
func (p *argon2Params) verify(pw string) bool {
	got := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.parallelism, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(got, p.key) == 1
}

// decodeBase64 decodes s with enc after checking that every byte is in enc's alphabet: Go's
// decoder skips CR and LF even in strict mode, and a hash with either is not canonical.
func decodeBase64(enc *base64.Encoding, s, field string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' {
			return nil, fmt.Errorf("%w: %s is not canonical base64", ErrMalformedHash, field)
		}
	}
	b, err := enc.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not canonical base64", ErrMalformedHash, field)
	}
	return b, nil
}
