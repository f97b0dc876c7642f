package captcha

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"time"

	altcha "github.com/altcha-org/altcha-lib-go"
)

// DefaultTTL is how long a challenge can be solved and used: long enough to fill in a form,
// short enough that challenges fetched in calm times cannot be hoarded for an attack.
const DefaultTTL = 5 * time.Minute

// KeySize is the size of the HMAC key that signs challenges.
const KeySize = 32

// maxSolution bounds the base64 payload read: a real one is about 300 bytes.
const maxSolution = 2048

// Challenge is an ALTCHA v1 challenge, in the JSON the widget (npm altcha 3.2.2) reads from
// its challengeurl and any ALTCHA solver understands: find the number n in 0..maxnumber for
// which SHA-256(salt + n) in hex is challenge. The salt carries the challenge's action and
// expiry (salt = "<random hex>?action=register&expires=<unix seconds>&"), and signature is the
// HMAC-SHA-256 of challenge under the server's key, so neither can be changed.
type Challenge struct {
	Algorithm string `json:"algorithm" enum:"SHA-256"`
	Challenge string `json:"challenge" doc:"SHA-256 of salt followed by the secret number, in hex."`
	MaxNumber int64  `json:"maxnumber" doc:"The secret number is at most this; it sets the difficulty." example:"50000"`
	Salt      string `json:"salt" doc:"Random hex, then the signed parameters action and expires (Unix seconds)."`
	Signature string `json:"signature" doc:"HMAC-SHA-256 of challenge under the server's key, in hex."`
}

// Solution is what a client sends back, base64-encoded JSON, in the captcha field: the
// challenge's fields and the number found.
type Solution struct {
	Algorithm string `json:"algorithm"`
	Challenge string `json:"challenge"`
	Number    int64  `json:"number"`
	Salt      string `json:"salt"`
	Signature string `json:"signature"`
}

// Encode returns s as the captcha field carries it.
func (s Solution) Encode() string {
	b, _ := json.Marshal(s)
	return base64.StdEncoding.EncodeToString(b)
}

// Solve finds c's number by brute force, as any client may: it tries 0..maxnumber in order
// and returns the solution, or an error if no number matches (the challenge is not genuine)
// or ctx ends first. It hashes in place rather than through the ALTCHA library's solver,
// which formats and compares in hex and is several times slower.
func Solve(ctx context.Context, c Challenge) (Solution, error) {
	if c.Algorithm != string(altcha.SHA256) {
		return Solution{}, fmt.Errorf("solve: algorithm %q, want SHA-256", c.Algorithm)
	}
	want, err := hex.DecodeString(c.Challenge)
	if err != nil || len(want) != sha256.Size {
		return Solution{}, errors.New("solve: the challenge is not a SHA-256 in hex")
	}
	buf := []byte(c.Salt)
	for n := int64(0); n <= c.MaxNumber; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return Solution{}, ctx.Err()
		}
		sum := sha256.Sum256(strconv.AppendInt(buf[:len(c.Salt)], n, 10))
		if bytes.Equal(sum[:], want) {
			return Solution{Algorithm: c.Algorithm, Challenge: c.Challenge, Number: n, Salt: c.Salt, Signature: c.Signature}, nil
		}
	}
	return Solution{}, errors.New("solve: no number up to maxnumber matches")
}

// Replays remembers used challenges, so each solution is accepted once. Spend records id as
// used until the time given and reports whether it was unused; of several concurrent calls
// with one id (on any instance sharing the Replays) exactly one gets true.
type Replays interface {
	Spend(ctx context.Context, id string, until time.Time) (bool, error)
}

// PoW hands out and checks ALTCHA v1 (SHA-256 hashcash) challenges. The ALTCHA library
// checks the arithmetic and the signature; PoW adds what it leaves to the server: the
// algorithm is SHA-256 only, the action and expiry must be present and right, and each
// solution is spent once. It is safe for concurrent use.
type PoW struct {
	key     string
	ttl     time.Duration
	now     func() time.Time
	replays Replays
}

// PoWOptions configures a PoW.
type PoWOptions struct {
	// Key signs challenges; every instance must share it. At least KeySize bytes.
	Key []byte
	// Replays remembers used challenges; required.
	Replays Replays
	// TTL is how long a challenge is valid; 0 means DefaultTTL.
	TTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// NewPoW returns a PoW.
func NewPoW(o PoWOptions) (*PoW, error) {
	if len(o.Key) < KeySize {
		return nil, fmt.Errorf("captcha: the challenge key has %d bytes, want at least %d", len(o.Key), KeySize)
	}
	if o.Replays == nil {
		return nil, errors.New("captcha: no store of used challenges")
	}
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &PoW{key: string(o.Key), ttl: o.TTL, now: o.Now, replays: o.Replays}, nil
}

// Challenge returns a new challenge for action at level's difficulty.
func (p *PoW) Challenge(action Action, level Level) (Challenge, error) {
	expires := p.now().Add(p.ttl)
	c, err := altcha.CreateChallenge(altcha.ChallengeOptions{
		Algorithm: altcha.SHA256, MaxNumber: Difficulty(level), HMACKey: p.key, SaltLength: 16,
		Expires: &expires, Params: url.Values{"action": {string(action)}},
	})
	if err != nil {
		return Challenge{}, fmt.Errorf("create challenge: %w", err)
	}
	return Challenge{Algorithm: c.Algorithm, Challenge: c.Challenge, MaxNumber: c.MaxNumber, Salt: c.Salt, Signature: c.Signature}, nil
}

// Verify checks solution (base64 JSON, as Solution.Encode makes it) for action and spends
// it. The cheap checks come first and the store of used challenges is asked last, so a
// flood of forged solutions costs one SHA-256 and one HMAC each and writes nothing.
func (p *PoW) Verify(ctx context.Context, action Action, solution string, _ netip.Addr) error {
	if len(solution) > maxSolution {
		return ErrInvalid
	}
	raw, err := base64.StdEncoding.DecodeString(solution)
	if err != nil {
		return ErrInvalid
	}
	var pl altcha.Payload
	if err := json.Unmarshal(raw, &pl); err != nil || pl.Algorithm != string(altcha.SHA256) {
		return ErrInvalid
	}
	params := altcha.ExtractParams(pl)
	if params.Get("action") != string(action) {
		return ErrInvalid
	}
	// Our own clock rather than the library's check: it is the one tests can set, and a
	// challenge without expires (which the library would let through) is refused.
	expires, err := strconv.ParseInt(params.Get("expires"), 10, 64)
	if err != nil || p.now().Unix() > expires {
		return ErrInvalid
	}
	ok, err := altcha.VerifySolutionSafe(pl, p.key, false)
	if err != nil || !ok {
		return ErrInvalid
	}
	fresh, err := p.replays.Spend(ctx, pl.Challenge, time.Unix(expires, 0))
	if err != nil {
		return fmt.Errorf("spend challenge: %w", errors.Join(ErrUnavailable, err))
	}
	if !fresh {
		return ErrInvalid
	}
	return nil
}

// ReplaysFunc adapts a function, such as a store's SpendCaptcha, to Replays.
type ReplaysFunc func(ctx context.Context, id string, until time.Time) (bool, error)

// Spend calls f.
func (f ReplaysFunc) Spend(ctx context.Context, id string, until time.Time) (bool, error) {
	return f(ctx, id, until)
}
