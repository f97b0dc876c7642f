package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func refreshCookie(t *testing.T, r reply) *http.Cookie {
	t.Helper()
	for _, c := range r.resp.Cookies() {
		if c.Name == "__Secure-gatehouse_refresh" {
			return c
		}
	}
	t.Fatalf("no refresh cookie in %v", r.header.Values("Set-Cookie"))
	return nil
}

func TestAPI_CookieSession(t *testing.T) {
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{})
	u := a.register("ada@example.com")

	r := a.req("POST", "/api/auth/session", loginForm(u.email, u.password), "Origin", a.url)
	wantStatus(t, r, http.StatusOK)
	if _, ok := r.json()["refresh_token"]; ok {
		t.Fatal("the cookie sign-in returned the refresh token in its body")
	}
	c := refreshCookie(t, r)
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/api/auth/session" || c.MaxAge <= 0 {
		t.Fatalf("got cookie %+v, want HttpOnly, Secure, SameSite=Strict, Path=/api/auth/session", c)
	}
	access := r.json()["access_token"].(string)
	wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(access)...), http.StatusOK)

	cookie := func(v string) []string { return []string{"Cookie", "__Secure-gatehouse_refresh=" + v, "Origin", a.url} }
	r = a.req("POST", "/api/auth/session/refresh", nil, cookie(c.Value)...)
	wantStatus(t, r, http.StatusOK)
	rotated := refreshCookie(t, r)
	if rotated.Value == c.Value {
		t.Fatal("the cookie was not rotated")
	}

	t.Run("cross-origin", func(t *testing.T) {
		for _, h := range [][]string{
			{"Origin", "https://evil.example"},
			{"Origin", "null"},
			{"Origin", strings.Replace(a.url, "http://", "https://", 1)},
			{"Origin", strings.Replace(a.url, "http://", "http://user@", 1)},
			{"Origin", a.url + "/path"},
			{"Sec-Fetch-Site", "cross-site"},
		} {
			r := a.req("POST", "/api/auth/session/refresh", nil, append([]string{"Cookie", "__Secure-gatehouse_refresh=" + rotated.Value}, h...)...)
			wantStatus(t, r, http.StatusForbidden)
			wantJSON(t, r, `{"detail": "Cross-origin requests are not allowed here", "code": "cross_origin"}`)
		}
		wantStatus(t, a.req("POST", "/api/auth/session", loginForm(u.email, u.password), "Origin", "https://evil.example"), http.StatusForbidden)
	})

	t.Run("two cookies of our name", func(t *testing.T) {
		r := a.req("POST", "/api/auth/session/refresh", nil, "Origin", a.url,
			"Cookie", "__Secure-gatehouse_refresh=planted; __Secure-gatehouse_refresh="+rotated.Value)
		wantStatus(t, r, http.StatusUnauthorized)
	})

	t.Run("no cookie", func(t *testing.T) {
		// Signed out is an answer, not an error: 204, no body, nothing cleared.
		r := a.req("POST", "/api/auth/session/refresh", nil, "Origin", a.url)
		wantStatus(t, r, http.StatusNoContent)
		if len(r.body) != 0 || len(r.header.Values("Set-Cookie")) != 0 {
			t.Errorf("got body %q and Set-Cookie %v, want neither", r.body, r.header.Values("Set-Cookie"))
		}
		// Another cookie on the path is not ours: still no session.
		wantStatus(t, a.req("POST", "/api/auth/session/refresh", nil, "Origin", a.url, "Cookie", "other=1"), http.StatusNoContent)
		// A cross-origin request is still refused before anything else.
		wantStatus(t, a.req("POST", "/api/auth/session/refresh", nil, "Origin", "https://evil.example"), http.StatusForbidden)
	})

	t.Run("invalid cookie", func(t *testing.T) {
		r := a.req("POST", "/api/auth/session/refresh", nil, cookie("not-a-token")...)
		wantStatus(t, r, http.StatusUnauthorized)
		if cleared := refreshCookie(t, r); cleared.MaxAge >= 0 || cleared.Value != "" {
			t.Errorf("got cookie %+v, want it cleared", cleared)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		r := a.req("POST", "/api/auth/session", loginForm(u.email, "wrong-password"), "Origin", a.url)
		wantStatus(t, r, http.StatusUnauthorized)
		if len(r.resp.Cookies()) != 0 {
			t.Errorf("got cookies %v on a failed sign-in", r.header.Values("Set-Cookie"))
		}
	})

	// Sign out: the session ends and the cookie is cleared.
	r = a.req("DELETE", "/api/auth/session", nil, cookie(rotated.Value)...)
	wantStatus(t, r, http.StatusNoContent)
	if cleared := refreshCookie(t, r); cleared.MaxAge >= 0 || cleared.Value != "" {
		t.Errorf("got cookie %+v, want it cleared", cleared)
	}
	wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(access)...), http.StatusUnauthorized)
	r = a.req("POST", "/api/auth/session/refresh", nil, cookie(rotated.Value)...)
	wantStatus(t, r, http.StatusUnauthorized)
	if !strings.Contains(strings.Join(r.header.Values("Set-Cookie"), ";"), "Max-Age=0") {
		t.Errorf("a refused refresh did not clear the cookie: %v", r.header.Values("Set-Cookie"))
	}
	wantStatus(t, a.req("DELETE", "/api/auth/session", nil, "Origin", a.url), http.StatusNoContent)
}

func TestAPI_Revoke(t *testing.T) {
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{})
	u := a.register("ada@example.com")
	wantStatus(t, a.req("POST", "/api/auth/revoke", url.Values{"token": {u.refresh}}), http.StatusOK)
	wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(u.access)...), http.StatusUnauthorized)
	wantStatus(t, a.req("POST", "/api/auth/revoke", url.Values{"token": {"unknown"}}), http.StatusOK)
	wantStatus(t, a.req("POST", "/api/auth/revoke", url.Values{}), http.StatusUnprocessableEntity)
}

func TestAPI_CORS(t *testing.T) {
	const app = "https://app.example.com"
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{origins: []string{app}})

	r := a.req("OPTIONS", "/api/users/me", nil, "Origin", app, "Access-Control-Request-Method", "GET")
	wantStatus(t, r, http.StatusNoContent)
	if r.header.Get("Access-Control-Allow-Origin") != app || r.header.Get("Access-Control-Allow-Credentials") != "true" ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight headers: %v", r.header)
	}
	r = a.req("GET", "/api/users/me", nil, "Origin", app)
	if r.header.Get("Access-Control-Allow-Origin") != app {
		t.Errorf("got Access-Control-Allow-Origin %q, want %q", r.header.Get("Access-Control-Allow-Origin"), app)
	}
	r = a.req("OPTIONS", "/api/users/me", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "GET")
	if r.header.Get("Access-Control-Allow-Origin") != "" || r.status == http.StatusNoContent {
		t.Errorf("an unlisted origin got %d with CORS headers %v", r.status, r.header)
	}
}
