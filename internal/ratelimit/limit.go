package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrInvalidLimit is returned (wrapped) by Allow for a Limit that Validate refuses or a cost n
// outside 0..Burst. It is a programming or configuration error, never a decision.
var ErrInvalidLimit = errors.New("ratelimit: invalid limit")

// Backend names, as Limiter.Backend reports them (for /readyz).
const (
	// BackendMemory names the in-process backend, Memory.
	BackendMemory = "memory"
	// BackendRedis names the shared backend, Redis.
	BackendRedis = "redis"
)

var (
	_ Limiter = (*Memory)(nil)
	_ Limiter = (*Redis)(nil)
	_ Limiter = (*Failover)(nil)
)

// Limiter decides whether events may happen for a key. Implementations are safe for
// concurrent use.
type Limiter interface {
	// Allow reports whether n events may happen now for key under limit, and records them if
	// so. A denied call records nothing, so a client that keeps knocking does not push its
	// own retry time further. n = 0 records nothing and reports the key's state (a peek).
	// The error is non-nil only for an invalid limit or n (ErrInvalidLimit) or, for a backend
	// that can fail (Redis), when it could not decide; Failover never returns the latter.
	Allow(ctx context.Context, key string, limit Limit, n int) (Result, error)
	// Reset forgets key's state, so its next event is decided as the first one.
	Reset(ctx context.Context, key string) error
	// Backend names the backend deciding now: BackendMemory or BackendRedis.
	Backend() string
}

// Limit allows Rate events per Period on average, and up to Burst of them at once. Callers
// use one Limit per key: the state stored for a key is only meaningful under the limit that
// wrote it. The zero Limit is invalid; a disabled limit is one the caller does not check.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// PerSecond returns a limit of rate events a second, all of which may come at once.
func PerSecond(rate int) Limit { return Limit{Rate: rate, Period: time.Second, Burst: rate} }

// PerMinute returns a limit of rate events a minute, all of which may come at once.
func PerMinute(rate int) Limit { return Limit{Rate: rate, Period: time.Minute, Burst: rate} }

// PerHour returns a limit of rate events an hour, all of which may come at once.
func PerHour(rate int) Limit { return Limit{Rate: rate, Period: time.Hour, Burst: rate} }

// maxBurstPeriod bounds Burst×Period (in nanoseconds) so the integer maths in decide cannot
// overflow: it multiplies TAT offsets of up to 2×Burst intervals by Rate.
const maxBurstPeriod = math.MaxInt64 / 4

// IsZero reports whether l is the zero Limit.
func (l Limit) IsZero() bool { return l == Limit{} }

// Validate returns nil if l is usable: Rate, Period and Burst positive, and Burst×Period under
// about 73 years (2^61 ns), far past any real limit.
func (l Limit) Validate() error {
	switch {
	case l.Rate <= 0:
		return fmt.Errorf("%w: rate %d must be positive", ErrInvalidLimit, l.Rate)
	case l.Period <= 0:
		return fmt.Errorf("%w: period %s must be positive", ErrInvalidLimit, l.Period)
	case l.Burst <= 0:
		return fmt.Errorf("%w: burst %d must be positive", ErrInvalidLimit, l.Burst)
	case int64(l.Burst) > maxBurstPeriod/int64(l.Period):
		return fmt.Errorf("%w: burst %d × period %s is too long", ErrInvalidLimit, l.Burst, l.Period)
	}
	return nil
}

// String describes l for logs, e.g. "5/1m0s (burst 5)".
func (l Limit) String() string {
	return fmt.Sprintf("%d/%s (burst %d)", l.Rate, l.Period, l.Burst)
}

// check validates l and the cost n for Allow.
func check(l Limit, n int) error {
	if err := l.Validate(); err != nil {
		return err
	}
	if n < 0 || n > l.Burst {
		return fmt.Errorf("%w: cost %d outside 0..burst %d", ErrInvalidLimit, n, l.Burst)
	}
	return nil
}

// Result is one decision of Allow.
type Result struct {
	// Allowed reports whether the n events were allowed (and recorded). A peek (n = 0) is
	// always allowed.
	Allowed bool
	// Limit is the limit the decision was made under.
	Limit Limit
	// Remaining is how many more events of cost 1 would be allowed right now, after this one;
	// 0 when denied.
	Remaining int
	// RetryAfter is how long until the denied call could be allowed; 0 when allowed.
	RetryAfter time.Duration
	// ResetAfter is how long until the key is back to its full burst if nothing else happens.
	ResetAfter time.Duration
}

// RetryAfterSeconds is RetryAfter in whole seconds rounded up, at least 1 when denied (so a
// client that waits that long is allowed), 0 when allowed: the value of a Retry-After header
// and of "Try again in N seconds."
func (r Result) RetryAfterSeconds() int {
	if r.Allowed {
		return 0
	}
	return max(ceilSeconds(r.RetryAfter), 1)
}

// ceilSeconds rounds d up to whole seconds; negative durations count as 0.
func ceilSeconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}
