package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// endpoints is every endpoint the README promises. The test proves each is in the OpenAPI
// document and that the document lists nothing else, and that each one is routed.
var endpoints = []string{
	"POST /api/auth/register", "POST /api/auth/token", "POST /api/auth/revoke", "GET /api/auth/captcha",
	"POST /api/auth/session", "POST /api/auth/session/refresh", "DELETE /api/auth/session",
	"GET /api/users/me", "PUT /api/users/me", "DELETE /api/users/me", "POST /api/users/me/password",
	"GET /api/users/me/sessions", "DELETE /api/users/me/sessions", "DELETE /api/users/me/sessions/{id}",
	"GET /api/email-accounts", "POST /api/email-accounts", "PATCH /api/email-accounts/{id}", "DELETE /api/email-accounts/{id}",
	"POST /api/auth/verify-email", "POST /api/auth/verify-email/resend", "POST /api/auth/password-reset",
	"POST /api/auth/password-reset/confirm", "POST /api/auth/email-change/report", "POST /api/users/me/email",
	"GET /api/auth/password-policy", "GET /.well-known/jwks.json", "GET /healthz", "GET /readyz", "GET /openapi.json",
}

func TestOpenAPI_EveryRoute(t *testing.T) {
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{})
	r := a.req("GET", "/openapi.json", nil)
	wantStatus(t, r, http.StatusOK)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("got openapi %q, want 3.1.0", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
			if op["operationId"] == nil || op["responses"] == nil {
				t.Errorf("%s %s lacks an operationId or responses", method, path)
			}
		}
	}
	for _, e := range endpoints {
		if !documented[e] {
			t.Errorf("%s is not in the OpenAPI document", e)
		}
		delete(documented, e)

		// Routed: whatever the status, it is not the mux's 404 or 405.
		method, path, _ := strings.Cut(e, " ")
		path = strings.ReplaceAll(path, "{id}", "00000000-0000-0000-0000-000000000000")
		if got := a.req(method, path, nil); got.status == http.StatusNotFound && got.json()["code"] == "not_found" || got.status == http.StatusMethodNotAllowed {
			t.Errorf("%s is not routed: got %d %s", e, got.status, got.body)
		}
	}
	for e := range documented {
		t.Errorf("%s is documented but not in this test's list", e)
	}
}

func TestOpenAPI_Schemas(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(httpapi.Spec("test"), &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	reg, ok := schemas["RegisterInput"].(map[string]any)
	if !ok {
		t.Fatalf("no RegisterInput schema among %v", keys(schemas))
	}
	required := reg["required"].([]any)
	if len(required) != 4 {
		t.Errorf("got required %v, want all four fields", required)
	}
	email := reg["properties"].(map[string]any)["email"].(map[string]any)
	if email["format"] != "email" {
		t.Errorf("got email schema %v, want format email", email)
	}
	// Every $ref points at a schema that exists.
	b := string(httpapi.Spec("test"))
	for _, part := range strings.Split(b, `"#/components/schemas/`)[1:] {
		name := part[:strings.Index(part, `"`)]
		if _, ok := schemas[name]; !ok {
			t.Errorf("$ref to missing schema %s", name)
		}
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
