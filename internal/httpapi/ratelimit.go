package httpapi

import (
	"net/http"
	"net/netip"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

// The limits the edge enforces itself, by the names the route table gives them. Each keys on
// something the edge knows before any password is looked at: the client's address (the
// trusted-proxy walk, IPv6 by /64) or, after the bearer check, the user. The limits on
// failed sign-ins per account, and on refreshes per session, are the domain's (internal/guard
// through auth.Guard): those names only document them here.
const (
	limitSignInIP     = "signin-ip"
	limitRegisterIP   = "register-ip"
	limitPasswordUser = "password-user"
	limitDeleteUser   = "delete-user"
	limitRefresh      = "refresh-session"
	limitEmailTokenIP = "email-token-ip"
)

// RouteLimits are the limits the edge enforces; a zero Limit is off.
type RouteLimits struct {
	// SignInIP bounds sign-in attempts (password grant and browser sign-in) per client.
	SignInIP ratelimit.Limit
	// RegisterIP bounds registrations per client.
	RegisterIP ratelimit.Limit
	// PasswordUser and DeleteUser bound password changes and account deletions per user:
	// both check a password, so each is a guess at it.
	PasswordUser ratelimit.Limit
	DeleteUser   ratelimit.Limit
	// EmailTokenIP bounds, per client, the presenting of mailed tokens and codes (verify,
	// reset, report): each code has its own few tries, but one client trying many addresses'
	// codes, or many tokens, is a guesser; a reset also costs a password hash.
	EmailTokenIP ratelimit.Limit
}

// edgeLimit is one limit of the route table, resolved: what it keys on and its Limit.
type edgeLimit struct {
	name   string
	byUser bool
	limit  ratelimit.Limit
}

// edgeLimit resolves a route's rateLimit name; ok is false for a name the domain enforces.
func (s *server) edgeLimit(name string) (edgeLimit, bool) {
	l := s.opts.Limits
	switch name {
	case limitSignInIP:
		return edgeLimit{name, false, l.SignInIP}, true
	case limitRegisterIP:
		return edgeLimit{name, false, l.RegisterIP}, true
	case limitPasswordUser:
		return edgeLimit{name, true, l.PasswordUser}, true
	case limitDeleteUser:
		return edgeLimit{name, true, l.DeleteUser}, true
	case limitEmailTokenIP:
		return edgeLimit{name, false, l.EmailTokenIP}, true
	case limitRefresh:
		return edgeLimit{}, false
	}
	return edgeLimit{}, false
}

// knownLimit reports whether name is a limit something enforces.
func knownLimit(name string) bool {
	switch name {
	case limitSignInIP, limitRegisterIP, limitPasswordUser, limitDeleteUser, limitRefresh, limitEmailTokenIP:
		return true
	}
	return false
}

// limit spends one event of el for r, sets the RateLimit headers and, over the limit,
// returns a *auth.RateLimitedError (answered 429 with Retry-After) after logging the refusal
// once. The key is "<limit>:<kind>:<value>". A limiter failure lets the request through:
// Failover never fails, and a limit must not turn into an outage.
func (s *server) limit(w http.ResponseWriter, r *http.Request, el edgeLimit, user string) error {
	if s.opts.Limiter == nil || el.limit.IsZero() {
		return nil
	}
	kind, value := "ip", user
	if el.byUser {
		kind = "user"
	} else {
		value = "unknown"
		if addr, err := netip.ParseAddr(clientIP(r, s.opts.TrustedProxies)); err == nil {
			if k := ratelimit.ClientKey(addr); k != "" {
				value = k
			}
		}
	}
	res, err := s.opts.Limiter.Allow(r.Context(), el.name+":"+kind+":"+value, el.limit, 1)
	if err != nil {
		s.log.ErrorContext(r.Context(), "rate limit check failed", "limit", el.name, "error", err)
		return nil
	}
	ratelimit.SetHeaders(w.Header(), ratelimit.Policy{Name: el.name, Limit: el.limit}, res)
	if d := s.opts.Decisions; d != nil {
		d.RateLimitDecision(el.name, res.Allowed)
	}
	if res.Allowed {
		return nil
	}
	attrs := []any{"limit", el.name, "key_kind", kind, "retry_after", res.RetryAfterSeconds()}
	if el.byUser {
		attrs = append(attrs, "user_id", user)
	}
	s.log.WarnContext(r.Context(), "request refused: rate limited", attrs...)
	return auth.NewRateLimited(res.RetryAfter)
}
