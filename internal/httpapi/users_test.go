package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func TestAPI_Me(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		u := a.register("ada@example.com")

		r := a.req("GET", "/api/users/me", nil, bearer(u.access)...)
		wantStatus(t, r, http.StatusOK)
		m := r.json()
		for _, k := range []string{"id", "email", "first_name", "last_name", "created_at", "updated_at", "email_verified", "email_verified_at"} {
			if _, ok := m[k]; !ok {
				t.Errorf("field %q missing from %s", k, r.body)
			}
		}
		if len(m) != 8 {
			t.Errorf("got %d fields %v, want exactly 8 (no hash)", len(m), m)
		}

		notAuthenticated := `{"detail": "Not authenticated", "code": "not_authenticated"}`
		for name, headers := range map[string][]string{
			"no header":    nil,
			"garbage":      bearer("garbage"),
			"basic scheme": {"Authorization", "Basic " + u.access},
			"empty bearer": {"Authorization", "Bearer "},
		} {
			t.Run(name, func(t *testing.T) {
				r := a.req("GET", "/api/users/me", nil, headers...)
				wantStatus(t, r, http.StatusUnauthorized)
				wantJSON(t, r, notAuthenticated)
				if r.header.Get("WWW-Authenticate") != "Bearer" {
					t.Errorf("got WWW-Authenticate %q, want Bearer", r.header.Get("WWW-Authenticate"))
				}
			})
		}

		t.Run("update", func(t *testing.T) {
			r := a.req("PUT", "/api/users/me", map[string]string{"first_name": " Augusta ", "last_name": "King"}, bearer(u.access)...)
			wantStatus(t, r, http.StatusOK)
			if m := r.json(); m["first_name"] != "Augusta" || m["last_name"] != "King" {
				t.Fatalf("got %v", m)
			}
			wantStatus(t, a.req("PUT", "/api/users/me", map[string]string{"first_name": ""}, bearer(u.access)...), http.StatusUnprocessableEntity)
		})
	})
}

func TestAPI_DeleteMe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		u := a.register("ada@example.com")
		wantStatus(t, a.req("POST", "/api/email-accounts", map[string]string{"email_address": "ada@work.example", "provider": "gmail"}, bearer(u.access)...), http.StatusCreated)

		r := a.req("DELETE", "/api/users/me", map[string]string{"password": "wrong-password"}, bearer(u.access)...)
		wantStatus(t, r, http.StatusBadRequest)
		wantJSON(t, r, `{"detail": "Incorrect password", "code": "incorrect_password"}`)
		wantStatus(t, a.req("DELETE", "/api/users/me", map[string]string{}, bearer(u.access)...), http.StatusUnprocessableEntity)

		wantStatus(t, a.req("DELETE", "/api/users/me", map[string]string{"password": u.password}, bearer(u.access)...), http.StatusNoContent)
		// The still-unexpired access token of the deleted user is refused at once.
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(u.access)...), http.StatusUnauthorized)
		wantStatus(t, refresh(a, u.refresh), http.StatusUnauthorized)
		// The email is free again, and nothing of the old account comes back.
		again := a.register("ada@example.com")
		r = a.req("GET", "/api/email-accounts", nil, bearer(again.access)...)
		wantStatus(t, r, http.StatusOK)
		wantJSON(t, r, `[]`)
	})
}

func TestAPI_ChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		u := a.register("ada@example.com")
		other := a.login(u)

		r := a.req("POST", "/api/users/me/password", map[string]string{"current_password": "nope-nope", "new_password": "new-password-1"}, bearer(u.access)...)
		wantStatus(t, r, http.StatusBadRequest)
		wantJSON(t, r, `{"detail": "Incorrect password", "code": "incorrect_password"}`)
		r = a.req("POST", "/api/users/me/password", map[string]string{"current_password": u.password, "new_password": "short"}, bearer(u.access)...)
		wantStatus(t, r, http.StatusUnprocessableEntity)

		wantStatus(t, a.req("POST", "/api/users/me/password", map[string]string{"current_password": u.password, "new_password": "new-password-1"}, bearer(u.access)...), http.StatusNoContent)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(u.access)...), http.StatusOK)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(other.access)...), http.StatusUnauthorized)
		wantStatus(t, a.req("POST", "/api/auth/token", loginForm(u.email, u.password)), http.StatusUnauthorized)
		wantStatus(t, a.req("POST", "/api/auth/token", loginForm(u.email, "new-password-1")), http.StatusOK)
	})
}

func TestAPI_Sessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		u := a.register("ada@example.com")
		phone := a.login(u)
		laptop := a.login(u)
		stranger := a.register("eve@example.com")

		r := a.req("GET", "/api/users/me/sessions", nil, append(bearer(u.access), "User-Agent", "test-agent/1.0")...)
		wantStatus(t, r, http.StatusOK)
		list := decodeList(t, r)
		if len(list) != 3 {
			t.Fatalf("got %d sessions, want 3", len(list))
		}
		current := 0
		for _, s := range list {
			if s["current"] == true {
				current++
			}
			if s["ip"] != "127.0.0.1" || s["user_agent"] == "" {
				t.Errorf("got session %v, want ip 127.0.0.1 and a user agent", s)
			}
		}
		if current != 1 {
			t.Errorf("got %d sessions marked current, want 1", current)
		}

		// Revoke the phone by id, found from its own point of view.
		phoneID := currentSessionID(t, a, phone.access)
		wantStatus(t, a.req("DELETE", "/api/users/me/sessions/"+phoneID, nil, bearer(stranger.access)...), http.StatusNotFound)
		wantStatus(t, a.req("DELETE", "/api/users/me/sessions/"+phoneID, nil, bearer(u.access)...), http.StatusNoContent)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(phone.access)...), http.StatusUnauthorized)
		wantStatus(t, a.req("DELETE", "/api/users/me/sessions/"+phoneID, nil, bearer(u.access)...), http.StatusNotFound)

		r = a.req("DELETE", "/api/users/me/sessions/not-a-uuid", nil, bearer(u.access)...)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantJSON(t, r, `{"detail": [{"loc": ["path", "id"], "msg": "value is not a valid uuid", "type": "type_error.uuid"}], "code": "invalid_input"}`)

		r = a.req("DELETE", "/api/users/me/sessions", nil, bearer(u.access)...)
		wantStatus(t, r, http.StatusOK)
		wantJSON(t, r, `{"revoked": 1}`)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(laptop.access)...), http.StatusUnauthorized)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(u.access)...), http.StatusOK)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(stranger.access)...), http.StatusOK)
	})
}

func currentSessionID(t *testing.T, a *api, access string) string {
	t.Helper()
	r := a.req("GET", "/api/users/me/sessions", nil, bearer(access)...)
	wantStatus(t, r, http.StatusOK)
	for _, s := range decodeList(t, r) {
		if s["current"] == true {
			return s["id"].(string)
		}
	}
	t.Fatal("no session is marked current")
	return ""
}
