// Package guard defends sign-in against password guessing without letting the guessing lock
// out the account's owner, after OWASP's "Slow Down Online Guessing Attacks with Device
// Cookies". It counts failed sign-ins per account, per (account, client) and across the
// service, issues and checks device tokens, and reports the pressure a CAPTCHA decides on.
// It implements auth.Guard; internal/ratelimit keeps the counts (in memory or Redis). It knows
// nothing of HTTP or SQL.
//
// A client that sends back a device token the account's owner received at an earlier sign-in
// is trusted: only failures of that very token count against it, so an attacker guessing from
// anywhere else never slows the owner. Every other client shares the account's untrusted
// budget: past it, attempts are answered at once with a 429 whose Retry-After grows (a few
// seconds under the delay limit, then hours at the ceiling of consecutive failures), before
// any password is checked. Limits key the account on an HMAC of its normalised email, counted
// alike whether or not an account exists, so they reveal nothing, and Redis never holds an
// email.
package guard

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

// Limit names, as logs, keys and the README name them.
const (
	LimitAccount        = "signin-account"
	LimitAccountCeiling = "signin-account-ceiling"
	LimitAccountIP      = "signin-account-ip"
	LimitGlobal         = "signin-global"
	LimitDevice         = "signin-device"
	LimitRefresh        = "refresh-session"
	LimitRegistrations  = "register-global"
)

// Limits are the guard's limits; a zero Limit is off.
type Limits struct {
	// Account bounds untrusted failures per account: past it, the progressive delay.
	Account ratelimit.Limit
	// AccountCeiling bounds consecutive untrusted failures per account (NIST: at most 100):
	// past it, refusal for hours.
	AccountCeiling ratelimit.Limit
	// AccountIP bounds untrusted failures per (account, client IP).
	AccountIP ratelimit.Limit
	// Global is the breaker on failed sign-ins across the service (credential stuffing): past
	// it, untrusted clients are delayed (and, once the CAPTCHA exists, challenged).
	Global ratelimit.Limit
	// Device bounds the failures of one device token: past it the token is locked out and
	// its client is treated as untrusted.
	Device ratelimit.Limit
	// Refresh bounds refreshes per session.
	Refresh ratelimit.Limit
}

// DefaultLimits are the limits the README documents.
func DefaultLimits() Limits {
	return Limits{
		Account:        ratelimit.Limit{Rate: 5, Period: time.Minute, Burst: 10},
		AccountCeiling: ratelimit.Limit{Rate: 100, Period: 24 * time.Hour, Burst: 100},
		AccountIP:      ratelimit.Limit{Rate: 20, Period: time.Hour, Burst: 5},
		Global:         ratelimit.Limit{Rate: 600, Period: time.Minute, Burst: 600},
		Device:         ratelimit.Limit{Rate: 10, Period: time.Hour, Burst: 10},
		Refresh:        ratelimit.Limit{Rate: 60, Period: time.Minute, Burst: 60},
	}
}

// registrationsWindow is the limit whose state counts registrations for Pressure; it never
// refuses (the per-IP registration limit does), it only measures.
var registrationsWindow = ratelimit.Limit{Rate: 10000, Period: time.Minute, Burst: 10000}

// Options configures New.
type Options struct {
	Limiter ratelimit.Limiter
	Limits  Limits
	// Key signs device tokens and keys accounts in the limiter (HMAC-SHA-256); at least 32
	// bytes, the same on every instance (cmd derives it from GATEHOUSE_SECRET_KEY).
	Key []byte
	// DeviceTTL is how long a device token is honoured; 0 means DefaultDeviceTTL.
	DeviceTTL time.Duration
	Logger    *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Decisions, when set, is told of every decision a limit makes (metrics).
	Decisions Decisions
}

// Decisions is told of each decision one of the guard's limits makes: allowed, or limited
// (a refusal, or a device token locked out). Peeks that only read the pressure for the
// CAPTCHA, and the counting of failures, are not decisions. metrics.Metrics implements it.
type Decisions interface {
	RateLimitDecision(limit string, allowed bool)
}

type noDecisions struct{}

func (noDecisions) RateLimitDecision(string, bool) {}

// DefaultDeviceTTL is how long a device token stays valid: it is renewed at each sign-in.
const DefaultDeviceTTL = 180 * 24 * time.Hour

// Guard implements auth.Guard and Signals. It is safe for concurrent use.
type Guard struct {
	lim       ratelimit.Limiter
	limits    Limits
	key       []byte
	ttl       time.Duration
	log       *slog.Logger
	now       func() time.Time
	decisions Decisions
}

var (
	_ auth.Guard = (*Guard)(nil)
	_ Signals    = (*Guard)(nil)
)

// New returns a Guard.
func New(o Options) *Guard {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DeviceTTL <= 0 {
		o.DeviceTTL = DefaultDeviceTTL
	}
	if o.Decisions == nil {
		o.Decisions = noDecisions{}
	}
	return &Guard{lim: o.Limiter, limits: o.Limits, key: o.Key, ttl: o.DeviceTTL, log: o.Logger, now: o.Now, decisions: o.Decisions}
}

// check is one limit applied to one key.
type check struct {
	name, kind, key string
	limit           ratelimit.Limit
}

func (g *Guard) accountChecks(a auth.Attempt) []check {
	acct := g.hash("account", a.Email)
	return []check{
		{LimitAccount, "account", LimitAccount + ":account:" + acct, g.limits.Account},
		{LimitAccountCeiling, "account", LimitAccountCeiling + ":account:" + acct, g.limits.AccountCeiling},
		{LimitAccountIP, "account_ip", LimitAccountIP + ":account_ip:" + g.hash("account_ip", a.Email+"\x00"+clientKey(a.IP)), g.limits.AccountIP},
		{LimitGlobal, "global", LimitGlobal + ":global:all", g.limits.Global},
	}
}

// Admit implements auth.Guard. A trusted attempt passes (its token's own lockout was judged by
// DeviceUser); an untrusted one is refused while any of its budgets is spent, with the
// longest of their waits. It peeks: a refused attempt records nothing.
func (g *Guard) Admit(ctx context.Context, a auth.Attempt) error {
	if a.Trusted {
		return nil
	}
	checks := g.accountChecks(a)
	// The checks go to the limiter at once: on Redis that is one round trip, not four.
	results := make([]ratelimit.Result, len(checks))
	g.each(ctx, checks, func(i int, c check) {
		res, err := g.lim.Allow(ctx, c.key, c.limit, 0)
		if err != nil {
			g.log.ErrorContext(ctx, "rate limit check failed", "limit", c.name, "error", err)
			res.Remaining = 1
		}
		results[i] = res
	})
	var worst *check
	var wait time.Duration
	for i, res := range results {
		if checks[i].limit.IsZero() {
			continue
		}
		// Each enabled budget decides: a refused attempt counts as limited by every budget
		// that is spent, not only by the one whose wait it is told.
		g.decisions.RateLimitDecision(checks[i].name, res.Remaining > 0)
		if res.Remaining > 0 {
			continue
		}
		if w := untilNext(res); w >= wait {
			worst, wait = &checks[i], w
		}
	}
	if worst == nil {
		return nil
	}
	refusal := auth.NewRateLimited(wait)
	g.log.WarnContext(ctx, "sign-in refused: rate limited", "limit", worst.name, "key_kind", worst.kind,
		"key", hashTail(worst.key), "retry_after", refusal.RetryAfterSeconds())
	return refusal
}

// Failed implements auth.Guard: a trusted token's failure counts against that token only;
// any other counts against the account's untrusted budgets. Every failure feeds the breaker.
func (g *Guard) Failed(ctx context.Context, a auth.Attempt) {
	var spent []check
	for _, c := range g.accountChecks(a) {
		if !a.Trusted || c.name == LimitGlobal {
			spent = append(spent, c)
		}
	}
	g.each(ctx, spent, func(_ int, c check) { g.spend(ctx, c) })
	if a.Trusted && !g.limits.Device.IsZero() {
		if nonce, _, ok := g.parseDevice(a.DeviceToken); ok {
			res := g.spend(ctx, check{LimitDevice, "device", deviceKey(nonce), g.limits.Device})
			if res.Remaining == 0 {
				g.log.WarnContext(ctx, "device token locked out: too many failures", "limit", LimitDevice,
					"key_kind", "device", "user_id", a.UserID)
			}
		}
	}
}

// each runs f for every enabled check and returns when all have: concurrently on Redis, so
// the checks cost one round trip, and in turn on memory, where each is a few hundred ns.
func (g *Guard) each(_ context.Context, checks []check, f func(i int, c check)) {
	if g.lim.Backend() != ratelimit.BackendRedis {
		for i, c := range checks {
			if !c.limit.IsZero() {
				f(i, c)
			}
		}
		return
	}
	var wg sync.WaitGroup
	for i, c := range checks {
		if c.limit.IsZero() {
			continue
		}
		wg.Go(func() { f(i, c) })
	}
	wg.Wait()
}

func (g *Guard) spend(ctx context.Context, c check) ratelimit.Result {
	res, err := g.lim.Allow(ctx, c.key, c.limit, 1)
	if err != nil {
		g.log.ErrorContext(ctx, "rate limit record failed", "limit", c.name, "error", err)
	}
	return res
}

// AllowRefresh implements auth.Guard.
func (g *Guard) AllowRefresh(ctx context.Context, sessionID uuid.UUID) error {
	if g.limits.Refresh.IsZero() {
		return nil
	}
	res, err := g.lim.Allow(ctx, LimitRefresh+":session:"+sessionID.String(), g.limits.Refresh, 1)
	if err != nil {
		g.log.ErrorContext(ctx, "rate limit check failed", "limit", LimitRefresh, "error", err)
		return nil
	}
	g.decisions.RateLimitDecision(LimitRefresh, res.Allowed)
	if res.Allowed {
		return nil
	}
	refusal := auth.NewRateLimited(res.RetryAfter)
	g.log.WarnContext(ctx, "refresh refused: rate limited", "limit", LimitRefresh, "key_kind", "session",
		"session_id", sessionID, "retry_after", refusal.RetryAfterSeconds())
	return refusal
}

// Registered implements auth.Guard.
func (g *Guard) Registered(ctx context.Context) {
	_, _ = g.lim.Allow(ctx, LimitRegistrations+":global:all", registrationsWindow, 1)
}

// ClearAccount implements auth.Guard: it forgets the account's untrusted failures. Failures
// per (account, client) are keyed on the client too and simply expire.
func (g *Guard) ClearAccount(ctx context.Context, email string) error {
	acct := g.hash("account", email)
	for _, name := range []string{LimitAccount, LimitAccountCeiling} {
		if err := g.lim.Reset(ctx, name+":account:"+acct); err != nil {
			return err
		}
	}
	return nil
}

// hash is the HMAC of value under the guard's key, separated by purpose, in hex: what keys
// an account in the limiter, so Redis and the logs never hold an email.
func (g *Guard) hash(purpose, value string) string {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte("gatehouse guard " + purpose + "\x00"))
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// hashTail is the last part of a limiter key, for logs: a hash, never an email.
func hashTail(key string) string {
	if len(key) > 12 {
		return key[len(key)-12:]
	}
	return key
}

// clientKey buckets ip as ratelimit.ClientKey does; an address that does not parse shares
// one bucket, which is only ever stricter.
func clientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "unknown"
	}
	if k := ratelimit.ClientKey(addr); k != "" {
		return k
	}
	return "unknown"
}

// untilNext is how long until a key whose budget is spent (Remaining 0 at a peek) can take
// one more event: ResetAfter less the Burst-1 emission intervals that stay in debt.
func untilNext(res ratelimit.Result) time.Duration {
	l := res.Limit
	if l.Rate <= 0 {
		return time.Second
	}
	interval := time.Duration(int64(l.Period) / int64(l.Rate))
	return max(res.ResetAfter-time.Duration(l.Burst-1)*interval, time.Second)
}
