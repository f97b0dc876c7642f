package ratelimit_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

func TestPolicy_PolicyItem(t *testing.T) {
	tests := []struct {
		name   string
		policy ratelimit.Policy
		want   string
	}{
		{"PerMinute", ratelimit.Policy{Name: "signin-ip", Limit: ratelimit.PerMinute(5)}, `"signin-ip";q=5;w=60`},
		{"BurstBelowRate", ratelimit.Policy{Name: "register-ip", Limit: ratelimit.Limit{Rate: 10, Period: time.Hour, Burst: 3}}, `"register-ip";q=10;w=3600;gatehouse-burst=3`},
		{"SubSecondPeriod", ratelimit.Policy{Name: "p", Limit: ratelimit.Limit{Rate: 2, Period: 500 * time.Millisecond, Burst: 2}}, `"p";q=2;w=1`},
		{"Escaped", ratelimit.Policy{Name: `a"b\c`, Limit: ratelimit.PerSecond(1)}, `"a\"b\\c";q=1;w=1`},
		{"NotASCII", ratelimit.Policy{Name: "é\n", Limit: ratelimit.PerSecond(1)}, `"???";q=1;w=1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.policy.PolicyItem()
			if got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			checkPolicyField(t, got)
		})
	}
}

func TestPolicy_RateLimitItem(t *testing.T) {
	m, clock := newMemory(ratelimit.MemoryOptions{})
	p := ratelimit.Policy{Name: "signin-ip", Limit: ratelimit.PerMinute(5)} // 12s interval
	tests := []struct {
		name    string
		advance time.Duration
		n       int
		want    string
	}{
		// A full burst: no wait brings more, so no effective window.
		{"Full", 0, 0, `"signin-ip";r=5`},
		// One spent: 4 remain until it comes back in 12s.
		{"OneSpent", 0, 1, `"signin-ip";r=4;t=12`},
		{"FourSpent", 0, 3, `"signin-ip";r=1;t=12`},
		{"PartlyBack", 5 * time.Second, 0, `"signin-ip";r=1;t=7`},
		{"Exhausted", 0, 1, `"signin-ip";r=0;t=7`},
		// Denied: the window is the retry wait, as Retry-After says.
		{"Denied", 0, 1, `"signin-ip";r=0;t=7`},
		{"DeniedRoundsUp", 6500 * time.Millisecond, 1, `"signin-ip";r=0;t=1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock.Advance(tt.advance)
			res := mustAllow(t, m, "client", p.Limit, tt.n)
			got := p.RateLimitItem(res)
			if got != tt.want {
				t.Fatalf("got %s for %+v, want %s", got, res, tt.want)
			}
			checkRateLimitField(t, got)
		})
	}
}

// TestSetHeaders_TwoPolicies checks a route limited twice: each limit adds its member, the
// fields parse as one list, and Retry-After is the longer wait, never before either
// window's end.
func TestSetHeaders_TwoPolicies(t *testing.T) {
	m, _ := newMemory(ratelimit.MemoryOptions{})
	ip := ratelimit.Policy{Name: "signin-ip", Limit: ratelimit.PerMinute(2)}                                           // 30s interval
	account := ratelimit.Policy{Name: "signin-account", Limit: ratelimit.Limit{Rate: 10, Period: time.Hour, Burst: 1}} // 6m interval
	mustAllow(t, m, "ip", ip.Limit, 2)
	mustAllow(t, m, "account", account.Limit, 1)
	ipRes := mustAllow(t, m, "ip", ip.Limit, 1)
	accountRes := mustAllow(t, m, "account", account.Limit, 1)

	h := http.Header{}
	ratelimit.SetHeaders(h, account, accountRes)
	ratelimit.SetHeaders(h, ip, ipRes)
	if got, want := h.Values("RateLimit-Policy"), []string{`"signin-account";q=10;w=3600;gatehouse-burst=1`, `"signin-ip";q=2;w=60`}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got RateLimit-Policy %q, want %q", got, want)
	}
	if got, want := h.Values("RateLimit"), []string{`"signin-account";r=0;t=360`, `"signin-ip";r=0;t=30`}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got RateLimit %q, want %q", got, want)
	}
	if got := h.Get("Retry-After"); got != "360" {
		t.Fatalf("got Retry-After %q, want the longer wait, 360", got)
	}
	// Several field lines make one list (RFC 9651 §3.1).
	checkPolicyField(t, strings.Join(h.Values("RateLimit-Policy"), ", "))
	members := checkRateLimitField(t, strings.Join(h.Values("RateLimit"), ", "))
	retry, _ := strconv.Atoi(h.Get("Retry-After"))
	for _, mem := range members {
		if tw, ok := mem.params["t"]; ok && retry < tw.(int) {
			t.Errorf("Retry-After %d is before the end of %s's window (t=%d)", retry, mem.value, tw)
		}
	}
}

func TestSetHeaders_AllowedSetsNoRetryAfter(t *testing.T) {
	m, _ := newMemory(ratelimit.MemoryOptions{})
	p := ratelimit.Policy{Name: "register-ip", Limit: ratelimit.PerHour(10)}
	h := http.Header{}
	ratelimit.SetHeaders(h, p, mustAllow(t, m, "ip", p.Limit, 1))
	if got := h.Get("Retry-After"); got != "" {
		t.Fatalf("got Retry-After %q on an allowed request, want none", got)
	}
	if got := h.Get("RateLimit"); got != `"register-ip";r=9;t=360` {
		t.Fatalf("got RateLimit %q", got)
	}
}

func TestResult_RetryAfterSeconds(t *testing.T) {
	tests := []struct {
		res  ratelimit.Result
		want int
	}{
		{ratelimit.Result{Allowed: true}, 0},
		{ratelimit.Result{RetryAfter: time.Nanosecond}, 1},
		{ratelimit.Result{RetryAfter: time.Second}, 1},
		{ratelimit.Result{RetryAfter: time.Second + time.Nanosecond}, 2},
		{ratelimit.Result{RetryAfter: 29*time.Second + 100*time.Millisecond}, 30},
	}
	for _, tt := range tests {
		if got := tt.res.RetryAfterSeconds(); got != tt.want {
			t.Errorf("RetryAfterSeconds(%+v): got %d, want %d", tt.res, got, tt.want)
		}
	}
}

// checkPolicyField parses v as a RateLimit-Policy field (draft-ietf-httpapi-ratelimit-headers
// §3): a non-empty List of String items with a non-negative Integer q and a positive Integer w.
func checkPolicyField(t *testing.T, v string) []sfItem {
	t.Helper()
	items := parseList(t, v)
	for _, it := range items {
		if q, ok := it.params["q"].(int); !ok || q < 0 {
			t.Errorf("%s: q is %v, want a non-negative Integer", v, it.params["q"])
		}
		if w, ok := it.params["w"].(int); !ok || w < 1 {
			t.Errorf("%s: w is %v, want a positive Integer", v, it.params["w"])
		}
	}
	return items
}

// checkRateLimitField parses v as a RateLimit field (§4): a non-empty List of String items
// with a non-negative Integer r and, if present, a non-negative Integer t.
func checkRateLimitField(t *testing.T, v string) []sfItem {
	t.Helper()
	items := parseList(t, v)
	for _, it := range items {
		if r, ok := it.params["r"].(int); !ok || r < 0 {
			t.Errorf("%s: r is %v, want a non-negative Integer", v, it.params["r"])
		}
		if tv, ok := it.params["t"]; ok {
			if n, ok := tv.(int); !ok || n < 0 {
				t.Errorf("%s: t is %v, want a non-negative Integer", v, tv)
			}
		}
	}
	return items
}

// sfItem is a Structured Field Item whose bare item is a String.
type sfItem struct {
	value  string
	params map[string]any // int, string or bool
}

// parseList parses v as an RFC 9651 List of Items whose values are Strings, following the
// parsing algorithm of §4.2 for the types these fields use, and fails t on any deviation.
func parseList(t *testing.T, v string) []sfItem {
	t.Helper()
	items, err := parseSFList(v)
	if err != nil {
		t.Fatalf("parse %q: %v", v, err)
	}
	return items
}

func parseSFList(v string) ([]sfItem, error) {
	p := &sfParser{s: v}
	var items []sfItem
	p.skip(' ')
	for {
		it, err := p.item()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		p.skipOWS()
		if p.done() {
			return items, nil
		}
		if p.next() != ',' {
			return nil, fmt.Errorf("at %d: want ',' between members", p.i-1)
		}
		p.skipOWS()
		if p.done() {
			return nil, fmt.Errorf("trailing comma")
		}
	}
}

// TestParseSFList proves the checker above can fail: it refuses what the draft's syntax
// does not allow.
func TestParseSFList(t *testing.T) {
	for _, bad := range []string{
		``, `signin;q=5`, `"a";Q=5`, `"a";q=5,`, `"a" "b"`, `"a";q=1.5`, `"a";q=1234567890123456`,
		`"a`, `"a\x"`, "\"a\x01\"",
	} {
		if _, err := parseSFList(bad); err == nil {
			t.Errorf("parse %q: got no error, want one", bad)
		}
	}
	items, err := parseSFList(`"burst";q=100;w=60,"daily";q=1000;w=86400`) // the draft's example
	if err != nil || len(items) != 2 || items[1].value != "daily" || items[1].params["w"] != 86400 {
		t.Fatalf("got %+v, %v for the draft's example", items, err)
	}
}

type sfParser struct {
	s string
	i int
}

func (p *sfParser) done() bool { return p.i >= len(p.s) }
func (p *sfParser) peek() byte {
	if p.done() {
		return 0
	}
	return p.s[p.i]
}
func (p *sfParser) next() byte { c := p.peek(); p.i++; return c }
func (p *sfParser) skip(c byte) {
	for !p.done() && p.s[p.i] == c {
		p.i++
	}
}
func (p *sfParser) skipOWS() {
	for !p.done() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *sfParser) item() (sfItem, error) {
	if p.peek() != '"' {
		return sfItem{}, fmt.Errorf("at %d: the item must be a String", p.i)
	}
	s, err := p.str()
	if err != nil {
		return sfItem{}, err
	}
	it := sfItem{value: s, params: map[string]any{}}
	for p.peek() == ';' {
		p.i++
		p.skip(' ')
		key, err := p.key()
		if err != nil {
			return sfItem{}, err
		}
		var val any = true
		if p.peek() == '=' {
			p.i++
			if val, err = p.bare(); err != nil {
				return sfItem{}, err
			}
		}
		it.params[key] = val
	}
	return it, nil
}

func (p *sfParser) key() (string, error) {
	start := p.i
	if c := p.peek(); !(c >= 'a' && c <= 'z' || c == '*') {
		return "", fmt.Errorf("at %d: a key starts with lcalpha or '*'", p.i)
	}
	for c := p.peek(); c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("_-.*", c) >= 0 && c != 0; c = p.peek() {
		p.i++
	}
	return p.s[start:p.i], nil
}

func (p *sfParser) bare() (any, error) {
	switch c := p.peek(); {
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		start := p.i
		if c == '-' {
			p.i++
		}
		for c := p.peek(); c >= '0' && c <= '9'; c = p.peek() {
			p.i++
		}
		if c := p.peek(); c == '.' {
			return nil, fmt.Errorf("at %d: decimals are not used here", p.i)
		}
		if p.i-start > 15 {
			return nil, fmt.Errorf("at %d: an Integer has at most 15 digits", start)
		}
		return strconv.Atoi(p.s[start:p.i])
	case c == '?':
		p.i++
		switch p.next() {
		case '1':
			return true, nil
		case '0':
			return false, nil
		}
		return nil, fmt.Errorf("at %d: bad Boolean", p.i)
	}
	return nil, fmt.Errorf("at %d: unsupported bare item", p.i)
}

func (p *sfParser) str() (string, error) {
	p.i++ // the opening quote
	var b strings.Builder
	for !p.done() {
		c := p.next()
		switch {
		case c == '\\':
			e := p.next()
			if e != '"' && e != '\\' {
				return "", fmt.Errorf("at %d: bad escape", p.i)
			}
			b.WriteByte(e)
		case c == '"':
			return b.String(), nil
		case c < 0x20 || c > 0x7e:
			return "", fmt.Errorf("at %d: byte %#x is not allowed in a String", p.i, c)
		default:
			b.WriteByte(c)
		}
	}
	return "", fmt.Errorf("unterminated String")
}
