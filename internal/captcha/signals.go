package captcha

import "context"

// Level is how hard a proof-of-work challenge is: each level makes the expected number of
// hashes Difficulty(level)/2. The limiter reports one from its pressure signals.
type Level int

// The levels. LevelNormal is what every challenge costs when nothing is wrong.
const (
	LevelNormal Level = iota
	LevelElevated
	LevelHigh
	LevelAttack
)

// maxNumbers is ALTCHA's maxnumber per level. The server picks the secret number uniformly in
// 0..maxnumber, so a solver tries maxnumber/2 hashes on average and maxnumber at worst. At the
// ~1–2 million SHA-256 per second of a browser's Web Crypto in a worker (and ~5 million of one
// Go core, BenchmarkSolve), the average costs are about: normal 25 000 hashes (~20 ms), elevated
// 250 000 (~0.2 s), high 1 000 000 (~0.7 s), attack 5 000 000 (~3 s). The server's verify cost
// is one SHA-256 and one HMAC whatever the level (BenchmarkVerify).
var maxNumbers = [...]int64{50_000, 500_000, 2_000_000, 10_000_000}

// Difficulty returns the ALTCHA maxnumber of level l; levels out of range are clamped.
func Difficulty(l Level) int64 {
	return maxNumbers[max(LevelNormal, min(l, LevelAttack))]
}

// Pressure is what the abuse limits say about one request.
type Pressure struct {
	// Required says a solved challenge must accompany the request: registration past the
	// per-IP soft limit or the global registrations-per-minute threshold; a sign-in from a
	// client the account does not trust while the account is under attack or the global
	// failed-sign-in breaker is tripped. Never for a device the account trusts.
	Required bool
	// Level is the difficulty of the challenges handed out now: it rises with the global
	// failed-sign-in rate, registrations per minute and the client's own failures.
	Level Level
}

// Signals is what the rate limiter implements to drive the CAPTCHA. Pressure must be cheap
// (it runs on every register and sign-in request, before any password is hashed), must
// not fail (a limiter whose backend is down answers from its fallback), and must answer
// the same for an email that has no account as for one that has.
type Signals interface {
	Pressure(ctx context.Context, s Subject) Pressure
}

// NoPressure is the Signals of a server without a rate limiter: nothing is ever required by
// the signals and every challenge is LevelNormal.
type NoPressure struct{}

// Pressure returns the zero Pressure.
func (NoPressure) Pressure(context.Context, Subject) Pressure { return Pressure{} }
