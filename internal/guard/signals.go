package guard

import (
	"context"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

// Signals is what a CAPTCHA policy reads to decide whether a challenge is required; Guard
// implements it from the limiter's state, shared across instances when Redis is.
type Signals interface {
	// Pressure reports the state around a sign-in attempt (a.Email normalised, a.IP, and
	// a.Trusted as auth.Service decided it) without recording anything.
	Pressure(ctx context.Context, a auth.Attempt) Pressure
}

// Pressure is the state a CAPTCHA decision is made from. Counts are the units in use of
// each limit's budget (burst minus remaining): the recent events GCRA has not yet forgiven.
type Pressure struct {
	// GlobalFailures is the recent failed sign-ins across the service, and GlobalTripped
	// reports the breaker spent: unknown clients should then be challenged.
	GlobalFailures int
	GlobalTripped  bool
	// Registrations is the recent registrations across the service (about a minute's worth).
	Registrations int
	// ClientFailures is the recent untrusted failures for this (account, IP).
	ClientFailures int
	// AccountFailures is the recent untrusted failures against the account, and
	// AccountUnderAttack reports its delay budget spent.
	AccountFailures    int
	AccountUnderAttack bool
	// Trusted repeats a.Trusted: a trusted device is never challenged.
	Trusted bool
}

// Pressure implements Signals.
func (g *Guard) Pressure(ctx context.Context, a auth.Attempt) Pressure {
	p := Pressure{Trusted: a.Trusted}
	used := func(key string, l ratelimit.Limit) (int, bool) {
		if l.IsZero() {
			return 0, false
		}
		res, err := g.lim.Allow(ctx, key, l, 0)
		if err != nil {
			return 0, false
		}
		return l.Burst - res.Remaining, res.Remaining == 0
	}
	for _, c := range g.accountChecks(a) {
		n, spent := used(c.key, c.limit)
		switch c.name {
		case LimitAccount:
			p.AccountFailures, p.AccountUnderAttack = n, spent
		case LimitAccountIP:
			p.ClientFailures = n
		case LimitGlobal:
			p.GlobalFailures, p.GlobalTripped = n, spent
		}
	}
	p.Registrations, _ = used(LimitRegistrations+":global:all", registrationsWindow)
	return p
}
