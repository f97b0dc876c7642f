package httpapi_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func TestAPI_Register(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		ok := `{"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "password": "violet-kayak-mercury-19"}`
		wantStatus(t, a.req("POST", "/api/auth/register", ok), http.StatusCreated)

		tests := []struct {
			name     string
			body     string
			ctype    string
			status   int
			wantBody string
		}{
			{"duplicate, other case", `{"email": " ADA@Example.com ", "first_name": "A", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 400,
				`{"detail": "User with this email already exists", "code": "email_taken"}`},
			{"invalid email (the article's)", `{"email": "not-an-email", "first_name": "A", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [{"loc": ["body", "email"], "msg": "value is not a valid email address", "type": "value_error.email"}], "code": "invalid_input"}`},
			{"missing field (the article's)", `{"email": "b@example.com", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [{"loc": ["body", "first_name"], "msg": "field required", "type": "value_error.missing"}], "code": "invalid_input"}`},
			{"every problem at once", `{"email": "bad", "last_name": "L", "password": "short"}`, "", 422,
				`{"detail": [
					{"loc": ["body", "first_name"], "msg": "field required", "type": "value_error.missing"},
					{"loc": ["body", "email"], "msg": "value is not a valid email address", "type": "value_error.email"},
					{"loc": ["body", "password"], "msg": "ensure this value has at least 8 characters", "type": "value_error.password.too_short"}
				], "code": "invalid_input"}`},
			{"null is missing", `{"email": null, "first_name": "A", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [{"loc": ["body", "email"], "msg": "field required", "type": "value_error.missing"}], "code": "invalid_input"}`},
			{"password over 72 bytes", `{"email": "c@example.com", "first_name": "A", "last_name": "L", "password": "` + strings.Repeat("é", 37) + `"}`, "", 422,
				`{"detail": [{"loc": ["body", "password"], "msg": "ensure this value has at most 72 bytes (bcrypt reads no further)", "type": "value_error.password.too_long"}], "code": "invalid_input"}`},
			{"blank name", `{"email": "c@example.com", "first_name": "   ", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [{"loc": ["body", "first_name"], "msg": "ensure this value has at least 1 characters", "type": "value_error.any_str.min_length"}], "code": "invalid_input"}`},
			{"name of 101 characters", `{"email": "c@example.com", "first_name": "` + strings.Repeat("x", 101) + `", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [{"loc": ["body", "first_name"], "msg": "ensure this value has at most 100 characters", "type": "value_error.any_str.max_length"}], "code": "invalid_input"}`},
			{"NUL in a name", `{"email": "c@example.com", "first_name": "A\u0000B", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [{"loc": ["body", "first_name"], "msg": "must not contain control characters", "type": "value_error.str.control_characters"}], "code": "invalid_input"}`},
			{"wrong types, all listed", `{"email": 42, "first_name": ["A"], "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [
					{"loc": ["body", "email"], "msg": "str type expected", "type": "type_error.str"},
					{"loc": ["body", "first_name"], "msg": "str type expected", "type": "type_error.str"}
				], "code": "invalid_input"}`},
			{"field names match exactly", `{"email": "bad", "EMAIL": "fine@example.com", "first_name": "A", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [{"loc": ["body", "email"], "msg": "value is not a valid email address", "type": "value_error.email"}], "code": "invalid_input"}`},
			{"right-to-left override in a name", `{"email": "c@example.com", "first_name": "\u202eevil", "last_name": "L", "password": "violet-kayak-mercury-19"}`, "", 422,
				`{"detail": [{"loc": ["body", "first_name"], "msg": "must not contain control characters", "type": "value_error.str.control_characters"}], "code": "invalid_input"}`},
			{"malformed JSON", `{"email": `, "", 422,
				`{"detail": [{"loc": ["body"], "msg": "JSON decode error: the body is not valid JSON", "type": "value_error.jsondecode"}], "code": "invalid_input"}`},
			{"not an object", `["a"]`, "", 422,
				`{"detail": [{"loc": ["body"], "msg": "value is not a valid dict", "type": "type_error.dict"}], "code": "invalid_input"}`},
			{"empty body", ``, "", 422,
				`{"detail": [{"loc": ["body"], "msg": "field required", "type": "value_error.missing"}], "code": "invalid_input"}`},
			{"form instead of JSON", `email=a`, "application/x-www-form-urlencoded", 415,
				`{"detail": "Content-Type must be application/json", "code": "unsupported_media_type"}`},
			{"body over 64 KiB", `{"email": "` + strings.Repeat("a", 70<<10) + `"}`, "", 413,
				`{"detail": "Request body is too large", "code": "body_too_large"}`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				headers := []string{}
				if tt.ctype != "" {
					headers = []string{"Content-Type", tt.ctype}
				}
				r := a.req("POST", "/api/auth/register", tt.body, headers...)
				wantStatus(t, r, tt.status)
				wantJSON(t, r, tt.wantBody)
			})
		}
		// Keys that differ only in case are not the field: the exact one is stored.
		wantStatus(t, a.req("POST", "/api/auth/register", `{"email": "exact@example.com", "EMAIL": "other@example.com", "first_name": "A", "last_name": "L", "password": "violet-kayak-mercury-19"}`), http.StatusCreated)
		a.login(user{email: "exact@example.com", password: "violet-kayak-mercury-19"})
		// After all that, the server still serves.
		wantStatus(t, a.req("GET", "/healthz", nil), http.StatusOK)
	})
}

// Thirty registrations of one address at once: the unique index lets exactly one through,
// and every other gets the article's 400, never a 500.
func TestAPI_Register_Concurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, apiOptions{})
		const n = 30
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				email := "race@example.com"
				if i%2 == 1 {
					email = "Race@Example.com"
				}
				statuses[i] = a.req("POST", "/api/auth/register", map[string]string{
					"email": email, "first_name": "R", "last_name": "C", "password": "violet-kayak-mercury-19",
				}).status
			})
		}
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[201] != 1 || count[400] != n-1 {
			t.Fatalf("got statuses %v, want one 201 and %d 400", count, n-1)
		}
	})
}
