package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func TestAPI_Token(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		u := a.register("ada@example.com")

		t.Run("response", func(t *testing.T) {
			r := a.req("POST", "/api/auth/token", url.Values{"username": {"ADA@example.com"}, "password": {u.password}, "grant_type": {"password"}})
			wantStatus(t, r, http.StatusOK)
			m := r.json()
			if m["token_type"] != "bearer" || m["expires_in"] != float64(900) || m["access_token"] == "" || m["refresh_token"] == "" {
				t.Fatalf("got %v", m)
			}
			if got := r.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("got Cache-Control %q, want no-store", got)
			}
		})

		failures := []struct {
			name     string
			form     url.Values
			status   int
			wantBody string
		}{
			{"wrong password", url.Values{"username": {u.email}, "password": {"password124"}}, 401,
				`{"detail": "Incorrect email or password", "code": "invalid_credentials", "error": "invalid_grant", "error_description": "Incorrect email or password"}`},
			{"unknown email", url.Values{"username": {"nobody@example.com"}, "password": {"violet-kayak-mercury-19"}}, 401,
				`{"detail": "Incorrect email or password", "code": "invalid_credentials", "error": "invalid_grant", "error_description": "Incorrect email or password"}`},
			{"missing password", url.Values{"username": {u.email}}, 422,
				`{"detail": [{"loc": ["body", "password"], "msg": "field required", "type": "value_error.missing"}], "code": "invalid_input"}`},
			{"unsupported grant", url.Values{"grant_type": {"client_credentials"}}, 400,
				`{"detail": "grant_type must be password or refresh_token", "code": "unsupported_grant_type", "error": "unsupported_grant_type", "error_description": "grant_type must be password or refresh_token"}`},
			{"bad refresh token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}, 401,
				`{"detail": "Refresh token is invalid or expired", "code": "invalid_refresh_token", "error": "invalid_grant", "error_description": "Refresh token is invalid or expired"}`},
		}
		for _, tt := range failures {
			t.Run(tt.name, func(t *testing.T) {
				r := a.req("POST", "/api/auth/token", tt.form)
				wantStatus(t, r, tt.status)
				wantJSON(t, r, tt.wantBody)
				if tt.status == 401 && r.header.Get("WWW-Authenticate") != "Bearer" {
					t.Errorf("got WWW-Authenticate %q, want Bearer", r.header.Get("WWW-Authenticate"))
				}
			})
		}
		// Input PostgreSQL would refuse must be a plain 401, never a 500.
		t.Run("NUL in the username", func(t *testing.T) {
			r := a.req("POST", "/api/auth/token", url.Values{"username": {"a\x00da@example.com"}, "password": {"violet-kayak-mercury-19"}})
			wantStatus(t, r, http.StatusUnauthorized)
		})
		t.Run("Latin-1 user agent", func(t *testing.T) {
			r := a.req("POST", "/api/auth/token", loginForm(u.email, u.password), "User-Agent", "caf\xe9 browser")
			wantStatus(t, r, http.StatusOK)
			access := r.json()["access_token"].(string)
			for _, s := range decodeList(t, a.req("GET", "/api/users/me/sessions", nil, bearer(access)...)) {
				if s["current"] == true && s["user_agent"] != "caf\ufffd browser" {
					t.Errorf("got user agent %q, want it cleaned to %q", s["user_agent"], "caf\ufffd browser")
				}
			}
		})
		t.Run("JSON body", func(t *testing.T) {
			wantStatus(t, a.req("POST", "/api/auth/token", `{"username": "a"}`), http.StatusUnsupportedMediaType)
		})
	})
}

func refresh(a *api, tok string) reply {
	a.t.Helper()
	return a.req("POST", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok}})
}

func TestAPI_Refresh_RotationAndReuse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{grace: 0})
		u := a.register("ada@example.com")

		r := refresh(a, u.refresh)
		wantStatus(t, r, http.StatusOK)
		next := r.json()["refresh_token"].(string)
		if next == u.refresh {
			t.Fatal("refresh token was not rotated")
		}
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(r.json()["access_token"].(string))...), http.StatusOK)

		// The old token again: reuse. The whole session goes, newest token and access token too.
		wantStatus(t, refresh(a, u.refresh), http.StatusUnauthorized)
		wantStatus(t, refresh(a, next), http.StatusUnauthorized)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(u.access)...), http.StatusUnauthorized)
	})
}

// Tabs refreshing with one token at the same moment all succeed and get one successor.
func TestAPI_Refresh_GraceWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{grace: 10 * time.Second})
		u := a.register("ada@example.com")
		const tabs = 6
		got := make([]reply, tabs)
		var wg sync.WaitGroup
		for i := range tabs {
			wg.Go(func() { got[i] = refresh(a, u.refresh) })
		}
		wg.Wait()
		for _, r := range got {
			wantStatus(t, r, http.StatusOK)
			if r.json()["refresh_token"] != got[0].json()["refresh_token"] {
				t.Fatal("the tabs got different successors")
			}
		}
		// A tab that comes later still, after the successor was itself rotated, gets the
		// token in use now, not a spent one.
		second := got[0].json()["refresh_token"].(string)
		third := refresh(a, second)
		wantStatus(t, third, http.StatusOK)
		late := refresh(a, u.refresh)
		wantStatus(t, late, http.StatusOK)
		if late.json()["refresh_token"] != third.json()["refresh_token"] {
			t.Fatal("a late tab got a spent token, not the current one")
		}
		wantStatus(t, refresh(a, third.json()["refresh_token"].(string)), http.StatusOK)
	})
}

// A standard OAuth2 client signs in and calls the API unchanged.
func TestAPI_OAuth2Client(t *testing.T) {
	st := storetest.OpenSQLite(t)
	a := newAPI(t, st, apiOptions{})
	a.register("ada@example.com")

	conf := &oauth2.Config{Endpoint: oauth2.Endpoint{TokenURL: a.url + "/api/auth/token", AuthStyle: oauth2.AuthStyleInParams}}
	ctx := context.Background()
	tok, err := conf.PasswordCredentialsToken(ctx, "ada@example.com", "violet-kayak-mercury-19")
	if err != nil {
		t.Fatalf("PasswordCredentialsToken: %v", err)
	}
	if tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Fatalf("got token %+v, want a refresh token and an expiry", tok)
	}
	resp, err := conf.Client(ctx, tok).Get(a.url + "/api/users/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/users/me: got %d, want 200", resp.StatusCode)
	}

	// An expired token makes the client refresh through the refresh_token grant.
	tok.Expiry = time.Now().Add(-time.Minute)
	src := conf.TokenSource(ctx, tok)
	fresh, err := src.Token()
	if err != nil {
		t.Fatalf("refresh through oauth2: %v", err)
	}
	if fresh.RefreshToken == tok.RefreshToken {
		t.Error("the refresh token was not rotated")
	}

	_, err = conf.PasswordCredentialsToken(ctx, "ada@example.com", "wrong-password")
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("got %v, want a RetrieveError with invalid_grant", err)
	}
}
