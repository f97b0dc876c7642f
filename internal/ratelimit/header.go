package ratelimit

import (
	"net/http"
	"strconv"
	"time"
)

// Header field names of the IETF httpapi draft (draft-ietf-httpapi-ratelimit-headers-11) and
// of RFC 9110.
const (
	// HeaderPolicy is the field listing the quota policies that apply to a request.
	HeaderPolicy = "RateLimit-Policy"
	// HeaderRateLimit is the field giving the quota left under each policy.
	HeaderRateLimit = "RateLimit"
	// HeaderRetryAfter is RFC 9110's field: seconds to wait before trying again.
	HeaderRetryAfter = "Retry-After"
)

// Policy is a named limit, as the RateLimit-Policy and RateLimit headers name it. Name should
// be short printable ASCII (e.g. "signin-ip"); other bytes are replaced by '?'.
type Policy struct {
	Name  string
	Limit Limit
}

// PolicyItem formats p as one member of a RateLimit-Policy list:
//
//	"signin-ip";q=5;w=60
//
// q is the Rate and w the Period in seconds (rounded up), which is how limits are configured
// and the rate a client may sustain. GCRA also lets Burst events through at once; when Burst
// differs from Rate it is stated in the vendor parameter gatehouse-burst, as the draft asks
// of implementation-specific parameters.
func (p Policy) PolicyItem() string {
	b := make([]byte, 0, 48)
	b = appendSFString(b, p.Name)
	b = append(b, ";q="...)
	b = strconv.AppendInt(b, int64(p.Limit.Rate), 10)
	b = append(b, ";w="...)
	b = strconv.AppendInt(b, int64(max(ceilSeconds(p.Limit.Period), 1)), 10)
	if p.Limit.Burst != p.Limit.Rate {
		b = append(b, ";gatehouse-burst="...)
		b = strconv.AppendInt(b, int64(p.Limit.Burst), 10)
	}
	return string(b)
}

// RateLimitItem formats res as one member of a RateLimit list under p's name:
//
//	"signin-ip";r=2;t=12
//
// r is res.Remaining. t is the draft's effective window: the seconds (rounded up) during which
// no more than r events will be allowed, that is until the next unit comes back. When denied
// that is res.RetryAfterSeconds(), the same value as Retry-After, which the draft requires
// not to be earlier than the window's end. t is left out when the burst is full, as no wait
// brings more.
func (p Policy) RateLimitItem(res Result) string {
	b := make([]byte, 0, 40)
	b = appendSFString(b, p.Name)
	b = append(b, ";r="...)
	b = strconv.AppendInt(b, int64(max(res.Remaining, 0)), 10)
	if t, ok := effectiveWindow(res); ok {
		b = append(b, ";t="...)
		b = strconv.AppendInt(b, int64(t), 10)
	}
	return string(b)
}

// SetHeaders adds p's member to the RateLimit-Policy and RateLimit fields of h (the draft lets
// a list be split over several field lines, so a route checked against several limits calls
// SetHeaders once for each), and when res is denied sets Retry-After to
// res.RetryAfterSeconds(), unless h already holds a longer wait from another limit.
func SetHeaders(h http.Header, p Policy, res Result) {
	h.Add(HeaderPolicy, p.PolicyItem())
	h.Add(HeaderRateLimit, p.RateLimitItem(res))
	if res.Allowed {
		return
	}
	wait := res.RetryAfterSeconds()
	if old, err := strconv.Atoi(h.Get(HeaderRetryAfter)); err == nil && old > wait {
		return
	}
	h.Set(HeaderRetryAfter, strconv.Itoa(wait))
}

// effectiveWindow returns the RateLimit t parameter for res, and false when it has none.
func effectiveWindow(res Result) (int, bool) {
	if !res.Allowed {
		return res.RetryAfterSeconds(), true
	}
	l := res.Limit
	if l.Rate <= 0 || res.Remaining >= l.Burst {
		return 0, false
	}
	// The next unit comes back when the TAT offset (ResetAfter) falls to the point where
	// Remaining+1 units fit: ResetAfter - (Burst-Remaining-1) intervals from now.
	units := int64(l.Burst - res.Remaining - 1)
	next := res.ResetAfter - time.Duration(units*int64(l.Period)/int64(l.Rate))
	return max(ceilSeconds(next), 1), true
}

// appendSFString appends s as a Structured Field String (RFC 9651 §3.3.3): quoted, with '"'
// and '\' escaped; bytes outside printable ASCII, which a String cannot hold, become '?'.
func appendSFString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20 || c > 0x7e:
			b = append(b, '?')
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
