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
// 0..maxnumber, so a solver tries maxnumber/2 hashes on average and maxnumber at worst. One
// core of the 2-core build machine does about 1.2 million SHA-256 a second in Go
// (BenchmarkSolve); a browser's Web Crypto in a worker roughly 0.5–1 million. So on average:
//
//	level     maxnumber   hashes (mean)  Go core   browser
//	normal       50 000       25 000      ~20 ms   ~25–50 ms
//	elevated    250 000      125 000     ~100 ms   ~0.1–0.25 s
//	high      1 000 000      500 000     ~0.4 s    ~0.5–1 s
//	attack    5 000 000    2 500 000     ~2 s      ~2.5–5 s
//
// A bot pays that per request, on every request that needs one; a person pays it once, while
// typing. The server's verify cost is the same at every level: one SHA-256 and one HMAC
// (BenchmarkVerify).
var maxNumbers = [...]int64{50_000, 250_000, 1_000_000, 5_000_000}

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
