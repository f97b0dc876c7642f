// Package ratelimittest holds the conformance suite every ratelimit backend must pass, and
// the helpers that give tests a Redis: TEST_REDIS_URL names it; without it Redis tests are
// skipped, except under CI=true, where they fail.
package ratelimittest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

// RedisURL returns TEST_REDIS_URL, or skips t without it (fails it when CI=true).
func RedisURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_REDIS_URL is required under CI")
		}
		t.Skip("TEST_REDIS_URL is not set")
	}
	return u
}

// Prefix returns a Redis key prefix no other test uses, so tests sharing one Redis never see
// each other's keys: "test:<test name>:<random>:".
func Prefix(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	name := strings.NewReplacer("/", ".", " ", "_").Replace(t.Name())
	return "test:" + name + ":" + hex.EncodeToString(b) + ":"
}

// Harness is one backend under test.
type Harness struct {
	// Limiter is a fresh limiter: no key the suite uses has state in it.
	Limiter ratelimit.Limiter
	// Advance makes d pass for keys, the only keys the scenario uses: a memory backend moves
	// its clock; a Redis backend, whose clock is Redis's own, moves the keys' stored TATs back
	// by d, which the script cannot tell from d passing.
	Advance func(t *testing.T, d time.Duration, keys ...string)
	// RealClock says the backend reads a clock the suite does not stop (Redis's). Its
	// durations may then read short of the exact value by the wall time the scenario has
	// taken; on a stopped clock they must be exact.
	RealClock bool
}

// Tolerances of the duration checks. Remaining and Allowed are always compared exactly.
const (
	// exactSlack covers the memory backend's rounding: under a nanosecond per event.
	exactSlack = time.Microsecond
	// redisSlack covers Redis's storage of the TAT as a 14-digit decimal (10 µs) and float
	// rounding, with a wide margin: it is a bound on rounding, not on speed.
	redisSlack = time.Millisecond
)

// Limits the scenarios use. Their intervals are long (8.6 s to an hour), and every check lies
// at least 30 s from a decision boundary, or on one that passing time only moves away from
// (a cost that exactly fills the burst), so the milliseconds a run takes on a real clock
// cannot change a decision.
var (
	sixAnHour     = ratelimit.Limit{Rate: 6, Period: time.Hour, Burst: 3}  // 10m interval
	tenAnHour     = ratelimit.PerHour(10)                                  // 6m interval
	sixtyAnHour   = ratelimit.Limit{Rate: 60, Period: time.Hour, Burst: 2} // 1m interval, burst < rate
	oneAnHour     = ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 5}  // 1h interval, burst > rate
	sevenPerMin   = ratelimit.PerMinute(7)                                 // 8.571428…s interval
	exactFraction = time.Minute / 7
)

// step is one call in a scenario: wait advance, then Allow(key, n) (or Reset(key)), and
// compare with want.
type step struct {
	advance time.Duration
	key     string
	n       int
	reset   bool
	want    ratelimit.Result
}

func allow(key string, n, remaining int, reset time.Duration) step {
	return step{key: key, n: n, want: ratelimit.Result{Allowed: true, Remaining: remaining, ResetAfter: reset}}
}

func deny(key string, n int, retry, reset time.Duration) step {
	return step{key: key, n: n, want: ratelimit.Result{RetryAfter: retry, ResetAfter: reset}}
}

func after(d time.Duration, s step) step { s.advance = d; return s }

func reset(key string) step { return step{key: key, reset: true} }

type scenario struct {
	name  string
	limit ratelimit.Limit
	steps []step
}

var m = time.Minute

var scenarios = []scenario{
	{"BurstThenDeny", sixAnHour, []step{
		allow("a", 1, 2, 10*m),
		allow("a", 1, 1, 20*m),
		allow("a", 1, 0, 30*m),
		deny("a", 1, 10*m, 30*m),
		// A denied call records nothing: knocking again does not push the retry further.
		deny("a", 1, 10*m, 30*m),
	}},
	{"Refill", sixAnHour, []step{
		allow("a", 1, 2, 10*m),
		allow("a", 1, 1, 20*m),
		allow("a", 1, 0, 30*m),
		after(15*m, allow("a", 1, 0, 25*m)),
		deny("a", 1, 5*m, 25*m),
		after(6*m, allow("a", 1, 0, 29*m)),
		// Idle past its TAT, the key is back to a full burst.
		after(31*m, allow("a", 1, 2, 10*m)),
	}},
	{"Cost", tenAnHour, []step{
		allow("a", 4, 6, 24*m),
		deny("a", 7, 6*m, 24*m),
		allow("a", 6, 0, 60*m),
		deny("a", 1, 6*m, 60*m),
		after(13*m, allow("a", 2, 0, 59*m)),
		deny("a", 1, 5*m, 59*m),
	}},
	{"Peek", tenAnHour, []step{
		allow("a", 0, 10, 0),
		allow("a", 0, 10, 0),
		allow("a", 3, 7, 18*m),
		allow("a", 0, 7, 18*m),
		allow("a", 7, 0, 60*m),
		// A peek at an exhausted key is still allowed and says 0 remain.
		allow("a", 0, 0, 60*m),
		deny("a", 1, 6*m, 60*m),
	}},
	{"KeysAreIndependent", sixAnHour, []step{
		allow("a", 3, 0, 30*m),
		deny("a", 1, 10*m, 30*m),
		allow("b", 1, 2, 10*m),
		deny("a", 1, 10*m, 30*m),
		allow("b", 1, 1, 20*m),
	}},
	{"Reset", sixAnHour, []step{
		allow("a", 3, 0, 30*m),
		deny("a", 1, 10*m, 30*m),
		reset("a"),
		allow("a", 1, 2, 10*m),
		reset("never-seen"),
	}},
	{"BurstBelowRate", sixtyAnHour, []step{
		allow("a", 1, 1, m),
		allow("a", 1, 0, 2*m),
		deny("a", 1, m, 2*m),
		after(90*time.Second, allow("a", 1, 0, 90*time.Second)),
		deny("a", 1, 30*time.Second, 90*time.Second),
	}},
	{"BurstAboveRate", oneAnHour, []step{
		allow("a", 5, 0, 300*m),
		deny("a", 1, 60*m, 300*m),
		after(150*m, allow("a", 2, 0, 270*m)),
		deny("a", 1, 30*m, 270*m),
	}},
	{"FractionalInterval", sevenPerMin, []step{
		allow("a", 1, 6, exactFraction),
		allow("a", 1, 5, 2*exactFraction),
		allow("a", 3, 2, 5*exactFraction),
		allow("a", 2, 0, time.Minute),
		deny("a", 1, exactFraction, time.Minute),
		after(30*time.Second, allow("a", 1, 2, 30*time.Second+exactFraction)),
	}},
}

// Run runs every scenario on a fresh harness from open, and requires each call's decision:
// Allowed and Remaining exactly, RetryAfter and ResetAfter within the tolerances above.
func Run(t *testing.T, open func(t *testing.T) Harness) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			h := open(t)
			keys := scenarioKeys(sc)
			start := time.Now()
			for i, st := range sc.steps {
				if st.advance > 0 {
					h.Advance(t, st.advance, keys...)
				}
				if st.reset {
					if err := h.Limiter.Reset(t.Context(), st.key); err != nil {
						t.Fatalf("step %d: Reset(%q): %v", i, st.key, err)
					}
					continue
				}
				got, err := h.Limiter.Allow(t.Context(), st.key, sc.limit, st.n)
				if err != nil {
					t.Fatalf("step %d: Allow(%q, %d): %v", i, st.key, st.n, err)
				}
				checkResult(t, i, st, sc.limit, got, h.RealClock, time.Since(start))
			}
		})
	}
	t.Run("InvalidLimit", func(t *testing.T) { testInvalid(t, open(t).Limiter) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open(t).Limiter) })
}

func scenarioKeys(sc scenario) []string {
	seen := map[string]bool{}
	var keys []string
	for _, st := range sc.steps {
		if !seen[st.key] {
			seen[st.key] = true
			keys = append(keys, st.key)
		}
	}
	return keys
}

func checkResult(t *testing.T, i int, st step, l ratelimit.Limit, got ratelimit.Result, realClock bool, elapsed time.Duration) {
	t.Helper()
	want := st.want
	if got.Allowed != want.Allowed || got.Remaining != want.Remaining {
		t.Fatalf("step %d: Allow(%q, %d): got allowed %v remaining %d, want allowed %v remaining %d",
			i, st.key, st.n, got.Allowed, got.Remaining, want.Allowed, want.Remaining)
	}
	if got.Limit != l {
		t.Errorf("step %d: got Limit %v, want %v", i, got.Limit, l)
	}
	checkDuration(t, i, "RetryAfter", got.RetryAfter, want.RetryAfter, realClock && !want.Allowed, elapsed)
	checkDuration(t, i, "ResetAfter", got.ResetAfter, want.ResetAfter, realClock && want.ResetAfter > 0, elapsed)
}

// checkDuration requires got within slack of want; on a real clock got may also be short by
// the time elapsed, since the backend's now has moved on from the suite's.
func checkDuration(t *testing.T, i int, what string, got, want time.Duration, realClock bool, elapsed time.Duration) {
	t.Helper()
	lo, hi := want-exactSlack, want+exactSlack
	if realClock {
		lo, hi = want-elapsed-redisSlack, want+redisSlack
	}
	if got < lo || got > hi {
		t.Errorf("step %d: got %s %v, want %v (within [%v, %v])", i, what, got, want, lo, hi)
	}
}

func testInvalid(t *testing.T, l ratelimit.Limiter) {
	tests := []struct {
		name  string
		limit ratelimit.Limit
		n     int
	}{
		{"Zero", ratelimit.Limit{}, 1},
		{"ZeroRate", ratelimit.Limit{Rate: 0, Period: time.Minute, Burst: 1}, 1},
		{"NegativePeriod", ratelimit.Limit{Rate: 1, Period: -time.Minute, Burst: 1}, 1},
		{"ZeroBurst", ratelimit.Limit{Rate: 1, Period: time.Minute}, 1},
		{"HugeBurst", ratelimit.Limit{Rate: 1, Period: 1000 * time.Hour, Burst: 1 << 40}, 1},
		{"CostAboveBurst", sixAnHour, 4},
		{"NegativeCost", sixAnHour, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Allow(t.Context(), "invalid", tt.limit, tt.n)
			if !errors.Is(err, ratelimit.ErrInvalidLimit) {
				t.Fatalf("Allow(%v, %d): got error %v, want ErrInvalidLimit", tt.limit, tt.n, err)
			}
		})
	}
}

// testConcurrent proves a decision is atomic: of many simultaneous calls on one key, exactly
// Burst are allowed.
func testConcurrent(t *testing.T, l ratelimit.Limiter) {
	const callers = 60
	limit := ratelimit.Limit{Rate: 20, Period: time.Hour, Burst: 20}
	results := make(chan bool, callers)
	errs := make(chan error, callers)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for range callers {
		go func() {
			res, err := l.Allow(ctx, "shared", limit, 1)
			if err != nil {
				errs <- err
				return
			}
			results <- res.Allowed
		}()
	}
	allowed := 0
	for range callers {
		select {
		case err := <-errs:
			t.Fatalf("Allow: %v", err)
		case ok := <-results:
			if ok {
				allowed++
			}
		}
	}
	if allowed != limit.Burst {
		t.Fatalf("got %d of %d concurrent calls allowed, want %d", allowed, callers, limit.Burst)
	}
}
