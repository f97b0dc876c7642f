package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func decodeList(t *testing.T, r reply) []map[string]any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(r.body, &list); err != nil {
		t.Fatalf("body %s is not a JSON list: %v", r.body, err)
	}
	return list
}

func loginForm(email, password string) url.Values {
	return url.Values{"username": {email}, "password": {password}}
}

func TestAPI_EmailAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		u := a.register("ada@example.com")
		eve := a.register("eve@example.com")

		wantJSON(t, a.req("GET", "/api/email-accounts", nil, bearer(u.access)...), `[]`)
		r := a.req("POST", "/api/email-accounts", map[string]string{"email_address": " Ada@Work.Example ", "provider": "gmail", "display_name": " Work "}, bearer(u.access)...)
		wantStatus(t, r, http.StatusCreated)
		acct := r.json()
		id := acct["id"].(string)
		if acct["email_address"] != "ada@work.example" || acct["display_name"] != "Work" || acct["provider"] != "gmail" {
			t.Fatalf("got %v", acct)
		}
		wantStatus(t, a.req("POST", "/api/email-accounts", map[string]string{"email_address": "ada@home.example", "provider": "imap"}, bearer(u.access)...), http.StatusCreated)

		r = a.req("POST", "/api/email-accounts", map[string]string{"email_address": "ADA@work.example", "provider": "outlook"}, bearer(u.access)...)
		wantStatus(t, r, http.StatusBadRequest)
		wantJSON(t, r, `{"detail": "This email account is already connected", "code": "email_account_exists"}`)

		r = a.req("POST", "/api/email-accounts", map[string]string{"email_address": "x", "provider": "aol", "display_name": strings.Repeat("n", 101)}, bearer(u.access)...)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := len(r.json()["detail"].([]any)); got != 3 {
			t.Errorf("got %d problems in %s, want 3", got, r.body)
		}

		r = a.req("PATCH", "/api/email-accounts/"+id, map[string]string{"display_name": "Office"}, bearer(u.access)...)
		wantStatus(t, r, http.StatusOK)
		if r.json()["display_name"] != "Office" {
			t.Fatalf("got %s", r.body)
		}
		list := decodeList(t, a.req("GET", "/api/email-accounts", nil, bearer(u.access)...))
		if len(list) != 2 || list[0]["display_name"] != "Office" {
			t.Fatalf("got %v, want two accounts, Office first", list)
		}

		// Another user can neither see nor touch them.
		wantJSON(t, a.req("GET", "/api/email-accounts", nil, bearer(eve.access)...), `[]`)
		notFound := `{"detail": "Email account not found", "code": "email_account_not_found"}`
		r = a.req("PATCH", "/api/email-accounts/"+id, map[string]string{"display_name": "Mine"}, bearer(eve.access)...)
		wantStatus(t, r, http.StatusNotFound)
		wantJSON(t, r, notFound)
		wantStatus(t, a.req("DELETE", "/api/email-accounts/"+id, nil, bearer(eve.access)...), http.StatusNotFound)

		wantStatus(t, a.req("DELETE", "/api/email-accounts/"+id, nil, bearer(u.access)...), http.StatusNoContent)
		wantStatus(t, a.req("DELETE", "/api/email-accounts/"+id, nil, bearer(u.access)...), http.StatusNotFound)
		if got := len(decodeList(t, a.req("GET", "/api/email-accounts", nil, bearer(u.access)...))); got != 1 {
			t.Fatalf("got %d accounts, want 1", got)
		}
		wantStatus(t, a.req("GET", "/api/email-accounts", nil), http.StatusUnauthorized)
	})
}
