package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// tight allows two events, then one an hour: a limit a test trips on its third request.
var tight = ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 2}

// loopback is the test client's address, trusted as a proxy so X-Forwarded-For picks the IP.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

var retryDetail = regexp.MustCompile(`^Too many attempts\. Try again in (\d+) seconds?\.$`)

// want429 fails unless r is the rate-limited answer: 429, the documented body, and a
// Retry-After equal to the wait the detail names.
func want429(t *testing.T, r reply) {
	t.Helper()
	m := r.json()
	detail, _ := m["detail"].(string)
	match := retryDetail.FindStringSubmatch(detail)
	if r.status != http.StatusTooManyRequests || m["code"] != "rate_limited" || match == nil {
		t.Fatalf("got %d %s, want 429 rate_limited with \"Too many attempts. Try again in N seconds.\"", r.status, r.body)
	}
	if got := r.header.Get("Retry-After"); got != match[1] {
		t.Fatalf("got Retry-After %q, want %q as the detail says", got, match[1])
	}
}

func wrongPassword(email string) url.Values {
	return url.Values{"username": {email}, "password": {"wrong password"}}
}

func xff(ip string) []string { return []string{"X-Forwarded-For", ip} }

// Every route the table limits answers 429 past its limit, on both dialects; the edge's
// per-client and per-user limits also send the RateLimit headers.
func TestRateLimit_EveryLimitedRoute(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		newLimited := func(t *testing.T, l testLimits) *api {
			return newAPI(t, open(t), apiOptions{limits: &l, trusted: loopback})
		}
		edge := func(t *testing.T, name string, r reply, remaining int) {
			t.Helper()
			if got, want := r.header.Get("RateLimit-Policy"), `"`+name+`";q=1;w=3600;gatehouse-burst=2`; got != want {
				t.Fatalf("got RateLimit-Policy %q, want %q", got, want)
			}
			if got := r.header.Get("RateLimit"); got == "" || !regexp.MustCompile(`^"`+name+`";r=`+strconv.Itoa(remaining)+`\b`).MatchString(got) {
				t.Fatalf("got RateLimit %q, want r=%d", got, remaining)
			}
		}
		t.Run("register-ip", func(t *testing.T) {
			a := newLimited(t, testLimits{route: httpapi.RouteLimits{RegisterIP: tight}})
			for i := range 3 {
				r := a.req("POST", "/api/auth/register", map[string]string{
					"email": fmt.Sprintf("u%d@example.com", i), "first_name": "A", "last_name": "B", "password": "violet-kayak-mercury-19",
				})
				if i < 2 {
					wantStatus(t, r, http.StatusCreated)
					edge(t, "register-ip", r, 1-i)
					continue
				}
				want429(t, r)
				edge(t, "register-ip", r, 0)
			}
			// Another client is not limited by the first one's registrations.
			r := a.req("POST", "/api/auth/register", map[string]string{
				"email": "other@example.com", "first_name": "A", "last_name": "B", "password": "violet-kayak-mercury-19",
			}, xff("192.0.2.9")...)
			wantStatus(t, r, http.StatusCreated)
		})
		for _, path := range []string{"/api/auth/token", "/api/auth/session"} {
			t.Run("signin-ip "+path, func(t *testing.T) {
				a := newLimited(t, testLimits{route: httpapi.RouteLimits{SignInIP: tight}})
				u := a.register("ada@example.com") // one sign-in: one left
				r := a.req("POST", path, wrongPassword(u.email), "Origin", a.url)
				wantStatus(t, r, http.StatusUnauthorized)
				edge(t, "signin-ip", r, 0)
				r = a.req("POST", path, url.Values{"username": {u.email}, "password": {u.password}}, "Origin", a.url)
				want429(t, r)
				edge(t, "signin-ip", r, 0)
				// The token endpoint's refresh grant is limited per session, not per client.
				r = a.req("POST", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {u.refresh}})
				wantStatus(t, r, http.StatusOK)
			})
		}
		t.Run("refresh-session", func(t *testing.T) {
			a := newLimited(t, testLimits{guard: guard.Limits{Refresh: tight}})
			u := a.register("ada@example.com")
			refresh := u.refresh
			for i := range 3 {
				r := a.req("POST", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
				if i < 2 {
					wantStatus(t, r, http.StatusOK)
					refresh = r.json()["refresh_token"].(string)
					continue
				}
				want429(t, r)
			}
		})
		for _, tc := range []struct{ name, method, path, field string }{
			{"password-user", "POST", "/api/users/me/password", "current_password"},
			{"delete-user", "DELETE", "/api/users/me", "password"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := newLimited(t, testLimits{route: httpapi.RouteLimits{PasswordUser: tight, DeleteUser: tight}})
				u := a.register("ada@example.com")
				body := map[string]string{tc.field: "wrong password", "new_password": "new password 123"}
				for i := range 3 {
					r := a.req(tc.method, tc.path, body, bearer(u.access)...)
					if i < 2 {
						wantStatus(t, r, http.StatusBadRequest)
						edge(t, tc.name, r, 1-i)
						continue
					}
					want429(t, r)
					edge(t, tc.name, r, 0)
				}
				// Another user is not limited by the first one's attempts.
				v := a.register("grace@example.com")
				wantStatus(t, a.req(tc.method, tc.path, body, bearer(v.access)...), http.StatusBadRequest)
			})
		}
		for _, tc := range []struct {
			path string
			body map[string]string
		}{
			{"/api/auth/verify-email", map[string]string{"token": "not-a-token"}},
			{"/api/auth/verify-email", map[string]string{"email": "ada@example.com", "code": "12345678"}},
			{"/api/auth/password-reset/confirm", map[string]string{"token": "not-a-token", "new_password": "violet-kayak-mercury-19"}},
			{"/api/auth/email-change/report", map[string]string{"token": "not-a-token"}},
		} {
			t.Run("email-token-ip "+tc.path, func(t *testing.T) {
				a := newLimited(t, testLimits{route: httpapi.RouteLimits{EmailTokenIP: tight}})
				for i := range 3 {
					r := a.req("POST", tc.path, tc.body)
					if i < 2 {
						wantStatus(t, r, http.StatusBadRequest)
						edge(t, "email-token-ip", r, 1-i)
						continue
					}
					want429(t, r)
					edge(t, "email-token-ip", r, 0)
				}
				// Another client is not limited by the first one's guesses.
				wantStatus(t, a.req("POST", tc.path, tc.body, xff("192.0.2.9")...), http.StatusBadRequest)
			})
		}
		t.Run("signin-account", func(t *testing.T) {
			a := newLimited(t, testLimits{guard: guard.Limits{Account: tight}})
			u := a.register("ada@example.com")
			for i := range 3 {
				r := a.req("POST", "/api/auth/token", wrongPassword(u.email), xff(fmt.Sprintf("198.51.100.%d", i))...)
				if i < 2 {
					wantStatus(t, r, http.StatusUnauthorized)
				} else {
					want429(t, r)
				}
				// Failures per account never send RateLimit headers: they would say how many
				// guesses the account has left, and so whether it is under attack.
				if r.header.Get("RateLimit") != "" || r.header.Get("RateLimit-Policy") != "" {
					t.Fatalf("attempt %d: got RateLimit headers %v on a per-account limit", i, r.header)
				}
			}
			if got := a.logs.String(); !regexp.MustCompile(`limit=signin-account key_kind=account`).MatchString(got) {
				t.Errorf("the refusal was not logged with its limit and key kind:\n%s", got)
			}
			for _, secret := range []string{u.email, "wrong password"} {
				if regexp.MustCompile(regexp.QuoteMeta(secret)).MatchString(a.logs.String()) {
					t.Errorf("the logs hold %q", secret)
				}
			}
		})
		t.Run("readyz names the backend", func(t *testing.T) {
			a := newLimited(t, testLimits{})
			wantJSON(t, a.req("GET", "/readyz", nil), `{"status":"ready","version":"test","rate_limit":"memory"}`)
		})
	})
}

// The owner is never locked out: hundreds of wrong guesses from many addresses lock out
// everyone without the owner's device token, while the owner's device signs in at once.
func TestSignIn_OwnerNotLockedOut(t *testing.T) {
	defaults := testLimits{guard: guard.DefaultLimits(), route: httpapi.RouteLimits{
		SignInIP: ratelimit.PerMinute(20), RegisterIP: ratelimit.Limit{Rate: 10, Period: time.Hour, Burst: 5},
	}}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{limits: &defaults, trusted: loopback})
	owner := a.register("ada@example.com")

	// The owner's API client and browser each got a device token at their sign-in.
	r := a.req("POST", "/api/auth/token", url.Values{"username": {owner.email}, "password": {owner.password}}, xff("203.0.113.7")...)
	wantStatus(t, r, http.StatusOK)
	device, _ := r.json()["device_token"].(string)
	if device == "" {
		t.Fatalf("the password grant returned no device_token: %s", r.body)
	}
	r = a.req("POST", "/api/auth/session", url.Values{"username": {owner.email}, "password": {owner.password}}, xff("203.0.113.8")...)
	wantStatus(t, r, http.StatusOK)
	cookie := deviceCookie(t, r)

	// The attacker has an account of their own, and its device token.
	mallory := a.register("mallory@example.com")
	r = a.req("POST", "/api/auth/token", url.Values{"username": {mallory.email}, "password": {mallory.password}}, xff("10.9.9.9")...)
	malloryDevice, _ := r.json()["device_token"].(string)

	refused := 0
	for i := range 300 {
		form := wrongPassword(owner.email)
		if i%2 == 0 {
			form.Set("device_token", malloryDevice) // someone else's device token counts for nothing
		}
		r := a.req("POST", "/api/auth/token", form, xff(fmt.Sprintf("10.%d.%d.1", i/250, i%250))...)
		switch r.status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Fatalf("guess %d: got %d %s, want 401 or 429", i, r.status, r.body)
		}
	}
	if refused < 250 {
		t.Fatalf("got %d of 300 guesses refused, want the account's budget for unknown clients spent", refused)
	}
	// An unknown client, even with the right password, is held back too: that is the point.
	want429(t, a.req("POST", "/api/auth/token", url.Values{"username": {owner.email}, "password": {owner.password}}, xff("192.0.2.200")...))

	// The owner's devices sign in at once, from anywhere.
	r = a.req("POST", "/api/auth/token", url.Values{"username": {owner.email}, "password": {owner.password}, "device_token": {device}}, xff("192.0.2.201")...)
	wantStatus(t, r, http.StatusOK)
	r = a.req("POST", "/api/auth/session", url.Values{"username": {owner.email}, "password": {owner.password}},
		append(xff("192.0.2.202"), "Cookie", cookie.Name+"="+cookie.Value)...)
	wantStatus(t, r, http.StatusOK)
}

// deviceCookie returns the device cookie r sets, checking it is HttpOnly, Secure, Strict and
// scoped to the sign-in path.
func deviceCookie(t *testing.T, r reply) *http.Cookie {
	t.Helper()
	for _, c := range r.resp.Cookies() {
		if c.Name == "__Secure-gatehouse_device" {
			if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/api/auth/session" || c.MaxAge <= 0 {
				t.Fatalf("got device cookie %s, want HttpOnly; Secure; SameSite=Strict; Path=/api/auth/session; Max-Age", c)
			}
			return c
		}
	}
	t.Fatalf("no device cookie set: %v", r.header["Set-Cookie"])
	return nil
}

// frozen is a memory limiter whose clock stands still, so two keys with the same history are
// in the same state however long the test takes between their requests: what differs
// between two answers can then only be what the limits reveal.
func frozen() ratelimit.Limiter {
	at := time.Now()
	return ratelimit.NewMemory(ratelimit.MemoryOptions{Now: func() time.Time { return at }})
}

// sameAnswer fails unless a and b are the same answer: status, body and every header but
// Date and X-Request-Id (which differ between any two requests).
func sameAnswer(t *testing.T, what string, a, b reply) {
	t.Helper()
	if a.status != b.status || string(a.body) != string(b.body) {
		t.Fatalf("%s: got %d %s and %d %s, want the same answer", what, a.status, a.body, b.status, b.body)
	}
	for _, h := range []http.Header{a.header, b.header} {
		h.Del("Date")
		h.Del("X-Request-Id")
	}
	keys := func(h http.Header) []string {
		var k []string
		for name, v := range h {
			k = append(k, name+": "+fmt.Sprint(v))
		}
		slices.Sort(k)
		return k
	}
	if ka, kb := keys(a.header), keys(b.header); !slices.Equal(ka, kb) {
		t.Fatalf("%s: got headers\n%v\nand\n%v\nwant the same", what, ka, kb)
	}
}

// Limits reveal nothing of which emails are registered: a known and an unknown email get the
// same status, body and headers at every step, up to the limit and past it.
func TestSignIn_LimitsDoNotRevealAccounts(t *testing.T) {
	limits := testLimits{guard: guard.DefaultLimits(), route: httpapi.RouteLimits{SignInIP: ratelimit.PerMinute(20)}}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{limits: &limits, trusted: loopback, limiter: frozen()})
	known := a.register("ada@example.com")
	limited := false
	for i := range 15 {
		for _, path := range []string{"/api/auth/token", "/api/auth/session"} {
			k := a.req("POST", path, wrongPassword(known.email), xff(fmt.Sprintf("10.1.%d.%d", len(path), i))...)
			u := a.req("POST", path, wrongPassword("nobody@example.com"), xff(fmt.Sprintf("10.2.%d.%d", len(path), i))...)
			sameAnswer(t, fmt.Sprintf("step %d on %s", i, path), k, u)
			limited = limited || k.status == http.StatusTooManyRequests
		}
	}
	if !limited {
		t.Fatal("no step reached the limit: the test proved nothing past it")
	}
}

// The wrong-password answer is byte for byte the same whatever the account's failure count
// below its limit.
func TestSignIn_WrongPasswordAnswerIgnoresFailureCount(t *testing.T) {
	limits := testLimits{guard: guard.DefaultLimits(), route: httpapi.RouteLimits{SignInIP: ratelimit.PerMinute(20)}}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{limits: &limits, trusted: loopback, limiter: frozen()})
	u := a.register("ada@example.com")
	first := a.req("POST", "/api/auth/token", wrongPassword(u.email), xff("10.0.0.1")...)
	for i := range 8 {
		wantStatus(t, a.req("POST", "/api/auth/token", wrongPassword(u.email), xff(fmt.Sprintf("10.0.1.%d", i))...), http.StatusUnauthorized)
	}
	last := a.req("POST", "/api/auth/token", wrongPassword(u.email), xff("10.0.0.2")...)
	wantStatus(t, last, http.StatusUnauthorized)
	sameAnswer(t, "the 1st and 10th wrong password", first, last)
}

// A sign-in past the bound ends the least recently used session.
func TestSignIn_SessionsPerUserBounded(t *testing.T) {
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{maxSessions: 3})
	u := a.register("ada@example.com") // session 1
	var all []user
	all = append(all, u)
	for range 4 {
		all = append(all, a.login(u))
	}
	r := a.req("GET", "/api/users/me/sessions", nil, bearer(all[4].access)...)
	wantStatus(t, r, http.StatusOK)
	var list []map[string]any
	if err := json.Unmarshal(r.body, &list); err != nil || len(list) != 3 {
		t.Fatalf("got %s, want 3 sessions", r.body)
	}
	for i, s := range all {
		got := a.req("GET", "/api/users/me", nil, bearer(s.access)...).status
		if want := map[bool]int{true: http.StatusOK, false: http.StatusUnauthorized}[i >= 2]; got != want {
			t.Errorf("session %d: got %d, want %d", i+1, got, want)
		}
	}
}
