package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/ratelimit"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// documentedOp is what the test reads of one operation in the served document.
type documentedOp struct {
	Security    []map[string]any          `json:"security"`
	Responses   map[string]map[string]any `json:"responses"`
	RequestBody *struct {
		Content map[string]any `json:"content"`
	} `json:"requestBody"`
	BodyLimit int `json:"x-body-limit"`
}

// The route table's policies are enforced by the mux exactly as the document states them:
// every route is sent a request without a token, one from a foreign origin and one with a
// body over its limit, and what it answers must match what the document says of it.
func TestPolicy_MuxAgreesWithDocument(t *testing.T) {
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{})
	u := a.register("ada@example.com")
	var doc struct {
		Paths map[string]map[string]documentedOp `json:"paths"`
	}
	if err := json.Unmarshal(a.req("GET", "/openapi.json", nil).body, &doc); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for path, ops := range doc.Paths {
		concrete := strings.ReplaceAll(path, "{id}", "00000000-0000-0000-0000-000000000000")
		for method, op := range ops {
			method = strings.ToUpper(method)
			name := method + " " + path
			own := []string{"Origin", a.url}

			bearerRoute := len(op.Security) > 0
			if _, has401 := op.Responses["401"]; bearerRoute && !has401 {
				t.Errorf("%s: a security requirement without a 401 response", name)
			}
			r := a.req(method, concrete, nil, own...)
			if got := r.json()["code"]; bearerRoute != (r.status == http.StatusUnauthorized && got == "not_authenticated") {
				t.Errorf("%s without a token: got %d %s; the document says bearer=%v", name, r.status, r.body, bearerRoute)
			}
			withToken := own
			if bearerRoute {
				counts["bearer"]++
				withToken = append(bearer(u.access), own...)
				if r := a.req(method, concrete, nil, withToken...); r.status == http.StatusUnauthorized {
					t.Errorf("%s with a valid token: got %d %s", name, r.status, r.body)
				}
			}

			// The CAPTCHA's refusals are 403 too: the origin check is the 403 that names cross_origin.
			desc, _ := op.Responses["403"]["description"].(string)
			cookieRoute := strings.Contains(desc, "cross_origin")
			r = a.req(method, concrete, nil, append(bearer(u.access), "Origin", "https://evil.example")...)
			if got := r.json()["code"]; cookieRoute != (r.status == http.StatusForbidden && got == "cross_origin") {
				t.Errorf("%s from a foreign origin: got %d %s; the document says origin-checked=%v", name, r.status, r.body, cookieRoute)
			}
			if cookieRoute {
				counts["cookie"]++
			}

			if _, ok := op.Responses["413"]; !ok || op.BodyLimit <= 0 {
				t.Errorf("%s: got x-body-limit %d and responses %v, want a limit and its 413", name, op.BodyLimit, op.Responses)
				continue
			}
			ctype := "application/json"
			if op.RequestBody != nil {
				counts["body"]++
				for ct := range op.RequestBody.Content {
					ctype = ct
				}
			}
			over := strings.Repeat("a", op.BodyLimit+1)
			r = a.req(method, concrete, over, append(withToken, "Content-Type", ctype)...)
			if r.status != http.StatusRequestEntityTooLarge || r.json()["code"] != "body_too_large" {
				t.Errorf("%s with %d bytes: got %d %s, want 413 body_too_large", name, len(over), r.status, r.body)
			}
			if op.RequestBody != nil {
				// A body of unknown length (chunked) is cut off at the limit as it is read.
				r = chunked(t, a, method, concrete, over, append(withToken, "Content-Type", ctype)...)
				if r.status != http.StatusRequestEntityTooLarge {
					t.Errorf("%s with %d chunked bytes: got %d %s, want 413", name, len(over), r.status, r.body)
				}
			}
		}
	}
	// The table has routes of every kind; a document that lost its policies fails here.
	if counts["bearer"] < 10 || counts["cookie"] != 3 || counts["body"] < 8 {
		t.Errorf("got %v routes by kind, want ≥10 bearer, 3 cookie, ≥8 with a body", counts)
	}
}

// chunked sends body with no Content-Length, so only reading it can find it too large.
func chunked(t *testing.T, a *api, method, path, body string, headers ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, a.url+path, struct{ io.Reader }{strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: b, resp: resp}
}

// Every route the document marks with x-rate-limit answers 429 rate_limited once that limit
// is spent, and no other route ever does: the document's limits are the mux's.
func TestPolicy_RateLimitsAgreeWithDocument(t *testing.T) {
	one := ratelimit.Limit{Rate: 1, Period: time.Hour, Burst: 1}
	limits := testLimits{
		guard: guard.Limits{Refresh: one},
		route: httpapi.RouteLimits{SignInIP: one, RegisterIP: one, PasswordUser: one, DeleteUser: one, EmailTokenIP: one},
	}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{limits: &limits})
	var doc struct {
		Paths map[string]map[string]struct {
			RateLimit string                    `json:"x-rate-limit"`
			Responses map[string]map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(a.req("GET", "/openapi.json", nil).body, &doc); err != nil {
		t.Fatal(err)
	}
	// The routes' own requests: each spends the limit once, the second is refused.
	u := a.register("ada@example.com") // spends register-ip and signin-ip for this client
	limited := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			name := strings.ToUpper(method) + " " + path
			if op.RateLimit == "" {
				continue
			}
			limited++
			if _, ok := op.Responses["429"]; !ok {
				t.Errorf("%s: x-rate-limit %q without a 429 response", name, op.RateLimit)
			}
		}
	}
	if limited != 10 {
		t.Errorf("got %d routes with x-rate-limit, want 10", limited)
	}
	// register-ip and signin-ip were spent by register above.
	req := func(method, path string, body any, headers ...string) reply {
		return a.req(method, path, body, append([]string{"Origin", a.url}, headers...)...)
	}
	want429(t, req("POST", "/api/auth/register", map[string]string{"email": "b@example.com", "first_name": "B", "last_name": "B", "password": "violet-kayak-mercury-19"}))
	want429(t, req("POST", "/api/auth/token", url.Values{"username": {u.email}, "password": {u.password}}))
	want429(t, req("POST", "/api/auth/session", url.Values{"username": {u.email}, "password": {u.password}}))
	// The refresh grant is not a sign-in: it spends refresh-session, per session, instead.
	r := req("POST", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {u.refresh}})
	wantStatus(t, r, http.StatusOK)
	want429(t, req("POST", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {r.json()["refresh_token"].(string)}}))
	for _, rt := range []struct{ method, path string }{{"POST", "/api/users/me/password"}, {"DELETE", "/api/users/me"}} {
		body := map[string]string{"current_password": "wrong password", "new_password": "new password 123", "password": "wrong password"}
		wantStatus(t, req(rt.method, rt.path, body, bearer(u.access)...), http.StatusBadRequest)
		want429(t, req(rt.method, rt.path, body, bearer(u.access)...))
	}
	// An email change checks the password too, against the same per-user budget as a password
	// change, which the loop above spent.
	want429(t, req("POST", "/api/users/me/email", map[string]string{"new_email": "new@example.com", "password": "wrong password"}, bearer(u.access)...))
	// The routes that spend mailed tokens share one per-client budget: the first spends it.
	wantCode(t, req("POST", "/api/auth/verify-email", map[string]string{"token": "not-a-token"}), http.StatusBadRequest, "invalid_token")
	want429(t, req("POST", "/api/auth/verify-email", map[string]string{"token": "not-a-token"}))
	want429(t, req("POST", "/api/auth/password-reset/confirm", map[string]string{"token": "not-a-token", "new_password": "violet-kayak-mercury-19"}))
	want429(t, req("POST", "/api/auth/email-change/report", map[string]string{"token": "not-a-token"}))
	// Unlimited routes never answer 429, however often they are called.
	for range 3 {
		if r := req("GET", "/api/users/me", nil, bearer(u.access)...); r.status != http.StatusOK || r.header.Get("RateLimit") != "" {
			t.Fatalf("GET /api/users/me: got %d %v, want 200 without RateLimit headers", r.status, r.header)
		}
	}
}
