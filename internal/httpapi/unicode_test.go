package httpapi_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// unicodeError is the 422 of a field whose text is not valid Unicode.
func unicodeError(field string) string {
	return `{"detail": [{"loc": ["body", "` + field + `"], "msg": "value is not valid UTF-8 text", "type": "value_error.unicode"}], "code": "invalid_input"}`
}

// encoding/json would quietly store U+FFFD for invalid bytes and lone surrogates; every
// string field refuses them instead, naming the field, in JSON bodies and forms alike.
func TestAPI_InvalidUnicode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		u := a.register("ada@example.com")

		register := func(field, value string) string {
			in := map[string]string{"email": `"b@example.com"`, "first_name": `"B"`, "last_name": `"L"`, "password": `"violet-kayak-mercury-19"`}
			in[field] = value
			return `{"email": ` + in["email"] + `, "first_name": ` + in["first_name"] + `, "last_name": ` + in["last_name"] + `, "password": ` + in["password"] + `}`
		}
		tests := []struct {
			name, method, path, body, field string
		}{
			{"register: invalid byte in the password", "POST", "/api/auth/register", register("password", "\"password\xff123\""), "password"},
			{"register: overlong encoding", "POST", "/api/auth/register", register("password", "\"password\xc0\xaf\""), "password"},
			{"register: lone high surrogate", "POST", "/api/auth/register", register("password", `"password\ud800123"`), "password"},
			{"register: high surrogate at the end", "POST", "/api/auth/register", register("first_name", `"B\ud83d"`), "first_name"},
			{"register: unpaired low surrogate", "POST", "/api/auth/register", register("last_name", `"\udc00"`), "last_name"},
			{"register: two highs", "POST", "/api/auth/register", register("first_name", `"\ud83d\ud83d"`), "first_name"},
			{"register: email", "POST", "/api/auth/register", register("email", "\"b\xe9@example.com\""), "email"},
			{"profile update", "PUT", "/api/users/me", "{\"first_name\": \"Ada\", \"last_name\": \"Love\xfflace\"}", "last_name"},
			{"change password", "POST", "/api/users/me/password", `{"current_password": "violet-kayak-mercury-19", "new_password": "new\udfffpassword"}`, "new_password"},
			{"email account", "POST", "/api/email-accounts", "{\"email_address\": \"ada@work.example\", \"provider\": \"gmail\", \"display_name\": \"W\x80rk\"}", "display_name"},
			{"email account rename", "PATCH", "/api/email-accounts/00000000-0000-0000-0000-000000000000", `{"display_name": "\ud800"}`, "display_name"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := a.req(tt.method, tt.path, tt.body, bearer(u.access)...)
				wantStatus(t, r, http.StatusUnprocessableEntity)
				wantJSON(t, r, unicodeError(tt.field))
			})
		}

		forms := []struct {
			name, path string
			form       url.Values
			field      string
		}{
			{"token: password", "/api/auth/token", url.Values{"username": {u.email}, "password": {"violet-kayak-mercury-19\xff"}}, "password"},
			{"token: username", "/api/auth/token", url.Values{"username": {"ada\xed\xa0\x80@example.com"}, "password": {u.password}}, "username"},
			{"token: refresh token", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {u.refresh + "\xff"}}, "refresh_token"},
			{"session sign-in", "/api/auth/session", url.Values{"username": {u.email}, "password": {"\xffviolet-kayak-mercury-19"}}, "password"},
			{"revoke", "/api/auth/revoke", url.Values{"token": {"\xfe"}}, "token"},
		}
		for _, tt := range forms {
			t.Run(tt.name, func(t *testing.T) {
				r := a.req("POST", tt.path, tt.form, "Origin", a.url)
				wantStatus(t, r, http.StatusUnprocessableEntity)
				wantJSON(t, r, unicodeError(tt.field))
			})
		}

		// Nothing of the refused registrations was stored: the address is still free, and a
		// password of real characters (a surrogate pair is one) works both ways.
		ok := register("password", `"violet-kayak\ud83d\ude00mercury-19"`)
		wantStatus(t, a.req("POST", "/api/auth/register", ok), http.StatusCreated)
		a.login(user{email: "b@example.com", password: "violet-kayak😀mercury-19"})
		wantStatus(t, a.req("POST", "/api/auth/register", register("password", `"p\\ud800assword"`)), http.StatusBadRequest)
	})
}
