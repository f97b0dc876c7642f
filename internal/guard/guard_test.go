package guard_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/ratelimit/ratelimittest"
)

var key = []byte("guard test key: thirty-two bytes")

// clock is a fixed clock a test moves by hand.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// backends runs f on the memory backend and, with TEST_REDIS_URL, on Redis.
func backends(t *testing.T, f func(t *testing.T, lim ratelimit.Limiter)) {
	t.Run("memory", func(t *testing.T) { f(t, ratelimit.NewMemory(ratelimit.MemoryOptions{})) })
	t.Run("redis", func(t *testing.T) {
		rdb, err := ratelimit.NewRedisClient(ratelimittest.RedisURL(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rdb.Close() })
		f(t, ratelimit.NewRedis(rdb, ratelimit.RedisOptions{Prefix: ratelimittest.Prefix(t)}))
	})
}

func newGuard(lim ratelimit.Limiter, l guard.Limits, c *clock) *guard.Guard {
	return guard.New(guard.Options{Limiter: lim, Limits: l, Key: key, Now: c.Now})
}

func TestGuard_DeviceToken(t *testing.T) {
	backends(t, func(t *testing.T, lim ratelimit.Limiter) {
		c := &clock{now: time.Now()}
		g := newGuard(lim, guard.Limits{Device: ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 3}}, c)
		user := uuid.New()
		tok, err := g.Succeeded(t.Context(), auth.Attempt{Email: "ada@example.com", IP: "192.0.2.1"}, user)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := g.DeviceUser(t.Context(), tok); !ok || got != user {
			t.Fatalf("DeviceUser(fresh token): got %v, %v; want %v, true", got, ok, user)
		}
		// Any changed byte, another key, or age past the TTL: not a device token.
		tampered := tok[:len(tok)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(tok, "AA")]
		other := guard.New(guard.Options{Limiter: lim, Key: []byte("another key, also thirty-two b.."), Now: c.Now})
		for name, g := range map[string]*guard.Guard{"tampered": g, "other key": other} {
			probe := tok
			if name == "tampered" {
				probe = tampered
			}
			if _, ok := g.DeviceUser(t.Context(), probe); ok {
				t.Errorf("DeviceUser(%s): got ok, want refused", name)
			}
		}
		for _, bad := range []string{"", "gd1.", "gd1.!!!!", "not a token"} {
			if _, ok := g.DeviceUser(t.Context(), bad); ok {
				t.Errorf("DeviceUser(%q): got ok", bad)
			}
		}
		// A token that failed too often is locked out itself (OWASP).
		trusted := auth.Attempt{Email: "ada@example.com", IP: "192.0.2.1", DeviceToken: tok, Trusted: true, UserID: user}
		for range 3 {
			g.Failed(t.Context(), trusted)
		}
		if _, ok := g.DeviceUser(t.Context(), tok); ok {
			t.Error("DeviceUser after 3 failures of a token allowed 3: got ok, want locked out")
		}
		// Expired.
		fresh, _ := g.Succeeded(t.Context(), auth.Attempt{Email: "ada@example.com"}, user)
		c.now = c.now.Add(guard.DefaultDeviceTTL)
		if _, ok := g.DeviceUser(t.Context(), fresh); ok {
			t.Error("DeviceUser past the TTL: got ok")
		}
	})
}

// The untrusted budget of an account is shared by every client without its device token, is
// the same for an unknown email, spares trusted devices, and ClearAccount forgets it.
func TestGuard_AccountFailures(t *testing.T) {
	backends(t, func(t *testing.T, lim ratelimit.Limiter) {
		c := &clock{now: time.Now()}
		g := newGuard(lim, guard.Limits{Account: ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 3}}, c)
		for _, email := range []string{"ada@example.com", "nobody@example.com"} {
			for i := range 3 {
				a := auth.Attempt{Email: email, IP: "198.51.100." + string(rune('1'+i))}
				if err := g.Admit(t.Context(), a); err != nil {
					t.Fatalf("%s attempt %d: got %v, want admitted", email, i, err)
				}
				g.Failed(t.Context(), a)
			}
			err := g.Admit(t.Context(), auth.Attempt{Email: email, IP: "203.0.113.1"})
			var rl *auth.RateLimitedError
			if !errors.As(err, &rl) || rl.RetryAfterSeconds() < 1 || rl.RetryAfterSeconds() > 60 {
				t.Fatalf("%s after 3 failures: got %v, want a rate limit of up to a minute", email, err)
			}
			if err := g.Admit(t.Context(), auth.Attempt{Email: email, Trusted: true}); err != nil {
				t.Fatalf("%s trusted: got %v, want admitted", email, err)
			}
			p := g.Pressure(t.Context(), auth.Attempt{Email: email})
			if !p.AccountUnderAttack || p.AccountFailures != 3 {
				t.Fatalf("%s Pressure: got %+v, want under attack with 3 failures", email, p)
			}
		}
		if err := g.ClearAccount(t.Context(), "ada@example.com"); err != nil {
			t.Fatal(err)
		}
		if err := g.Admit(t.Context(), auth.Attempt{Email: "ada@example.com"}); err != nil {
			t.Fatalf("after ClearAccount: got %v, want admitted", err)
		}
	})
}

func TestNewRateLimited_Message(t *testing.T) {
	for _, tc := range []struct {
		wait time.Duration
		want string
		secs int
	}{
		{30 * time.Second, "Too many attempts. Try again in 30 seconds.", 30},
		{1500 * time.Millisecond, "Too many attempts. Try again in 2 seconds.", 2},
		{time.Millisecond, "Too many attempts. Try again in 1 second.", 1},
		{0, "Too many attempts. Try again in 1 second.", 1},
	} {
		e := auth.NewRateLimited(tc.wait)
		if e.Error() != tc.want || e.RetryAfterSeconds() != tc.secs || !errors.Is(e, auth.ErrRateLimited) {
			t.Errorf("NewRateLimited(%s): got %q, %d; want %q, %d", tc.wait, e.Error(), e.RetryAfterSeconds(), tc.want, tc.secs)
		}
	}
}

// BenchmarkGuard measures what the guard adds to one failed sign-in: Admit (four peeks) and
// Failed (four spends), on each backend.
func BenchmarkGuard(b *testing.B) {
	run := func(b *testing.B, lim ratelimit.Limiter) {
		g := guard.New(guard.Options{Limiter: lim, Limits: guard.Limits{
			Account: huge, AccountCeiling: huge, AccountIP: huge, Global: huge,
		}, Key: key})
		a := auth.Attempt{Email: "ada@example.com", IP: "192.0.2.1"}
		for b.Loop() {
			if err := g.Admit(b.Context(), a); err != nil {
				b.Fatal(err)
			}
			g.Failed(b.Context(), a)
		}
	}
	b.Run("memory", func(b *testing.B) { run(b, ratelimit.NewMemory(ratelimit.MemoryOptions{})) })
	b.Run("redis", func(b *testing.B) {
		rdb, err := ratelimit.NewRedisClient(ratelimittest.RedisURL(b), 0)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { rdb.Close() })
		run(b, ratelimit.NewRedis(rdb, ratelimit.RedisOptions{Prefix: ratelimittest.Prefix(b)}))
	})
}

var huge = ratelimit.Limit{Rate: 1 << 30, Period: time.Second, Burst: 1 << 30}

// The breaker: once failed sign-ins across the service pass the global limit, every client
// without a device token is delayed, on any account, while trusted devices pass. The
// (account, IP) limit holds back one client without touching the others.
func TestGuard_GlobalBreakerAndAccountIP(t *testing.T) {
	backends(t, func(t *testing.T, lim ratelimit.Limiter) {
		c := &clock{now: time.Now()}
		g := newGuard(lim, guard.Limits{
			Global:    ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 4},
			AccountIP: ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 2},
		}, c)
		for range 2 {
			g.Failed(t.Context(), auth.Attempt{Email: "ada@example.com", IP: "192.0.2.1"})
		}
		if err := g.Admit(t.Context(), auth.Attempt{Email: "ada@example.com", IP: "192.0.2.1"}); !errors.Is(err, auth.ErrRateLimited) {
			t.Fatalf("(account, IP) past its limit: got %v, want rate limited", err)
		}
		if err := g.Admit(t.Context(), auth.Attempt{Email: "ada@example.com", IP: "192.0.2.2"}); err != nil {
			t.Fatalf("another IP on the same account: got %v, want admitted", err)
		}
		for i := range 2 {
			g.Failed(t.Context(), auth.Attempt{Email: "other" + string(rune('a'+i)) + "@example.com", IP: "198.51.100.1"})
		}
		if p := g.Pressure(t.Context(), auth.Attempt{Email: "x@example.com"}); !p.GlobalTripped || p.GlobalFailures != 4 {
			t.Fatalf("Pressure after 4 failures: got %+v, want the breaker tripped", p)
		}
		if err := g.Admit(t.Context(), auth.Attempt{Email: "fresh@example.com", IP: "203.0.113.9"}); !errors.Is(err, auth.ErrRateLimited) {
			t.Fatalf("an unknown client with the breaker tripped: got %v, want rate limited", err)
		}
		if err := g.Admit(t.Context(), auth.Attempt{Email: "fresh@example.com", IP: "203.0.113.9", Trusted: true}); err != nil {
			t.Fatalf("a trusted device with the breaker tripped: got %v, want admitted", err)
		}
	})
}
