package guard_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

// decisions records RateLimitDecision calls as "limit allowed" / "limit limited".
type decisions struct {
	mu  sync.Mutex
	got map[string]int
}

func (d *decisions) RateLimitDecision(limit string, allowed bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.got == nil {
		d.got = map[string]int{}
	}
	v := " limited"
	if allowed {
		v = " allowed"
	}
	d.got[limit+v]++
}

func (d *decisions) count(key string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.got[key]
}

// Admit reports each enabled budget's decision, AllowRefresh the session's, and a device
// token's lockout the device limit's; a trusted attempt and a peek at the pressure decide nothing.
func TestGuard_Decisions(t *testing.T) {
	backends(t, func(t *testing.T, lim ratelimit.Limiter) {
		c := &clock{now: time.Now()}
		d := &decisions{}
		g := guard.New(guard.Options{Limiter: lim, Key: key, Now: c.Now, Decisions: d, Limits: guard.Limits{
			Account: ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 1},
			Refresh: ratelimit.Limit{Rate: 1, Period: time.Minute, Burst: 1},
			Device:  ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 1},
		}})
		a := auth.Attempt{Email: "ada@example.com", IP: "198.51.100.1"}
		if err := g.Admit(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		g.Failed(t.Context(), a)
		if err := g.Admit(t.Context(), a); err == nil {
			t.Fatal("second attempt: got admitted, want rate limited")
		}
		_ = g.Admit(t.Context(), auth.Attempt{Email: "ada@example.com", Trusted: true})
		g.Pressure(t.Context(), a)

		session := uuid.New()
		_ = g.AllowRefresh(t.Context(), session)
		_ = g.AllowRefresh(t.Context(), session)

		user := uuid.New()
		tok, err := g.Succeeded(t.Context(), a, user)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := g.DeviceUser(t.Context(), tok); !ok {
			t.Fatal("fresh device token: got untrusted")
		}
		g.Failed(t.Context(), auth.Attempt{Email: a.Email, Trusted: true, DeviceToken: tok, UserID: user})
		if _, ok := g.DeviceUser(t.Context(), tok); ok {
			t.Fatal("device token after its one failure: got trusted, want locked out")
		}

		for key, want := range map[string]int{
			guard.LimitAccount + " allowed": 1, guard.LimitAccount + " limited": 1,
			guard.LimitRefresh + " allowed": 1, guard.LimitRefresh + " limited": 1,
			guard.LimitDevice + " allowed": 1, guard.LimitDevice + " limited": 1,
			// Off, so never asked.
			guard.LimitGlobal + " allowed": 0, guard.LimitAccountIP + " allowed": 0,
		} {
			if got := d.count(key); got != want {
				t.Errorf("%s: got %d, want %d (all: %v)", key, got, want, d.got)
			}
		}
	})
}
