package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// A full flow, then a search of every log line for each secret it used: passwords, access
// and refresh tokens (and their halves), cookies and the stored hashes.
func TestLogs_HoldNoSecrets(t *testing.T) {
	st := storetest.OpenSQLite(t)
	a := newAPI(t, st, apiOptions{grace: 0})
	u := a.register("ada@example.com")
	secrets := []string{u.password, u.access, u.refresh}

	r := refresh(a, u.refresh)
	next := r.json()["refresh_token"].(string)
	secrets = append(secrets, next, r.json()["access_token"].(string))
	refresh(a, u.refresh) // reuse: logged as a warning, without the token
	wantStatus(t, a.req("POST", "/api/auth/token", loginForm(u.email, "wrong-but-secret-pw")), http.StatusUnauthorized)
	secrets = append(secrets, "wrong-but-secret-pw")

	r = a.req("POST", "/api/auth/session", loginForm(u.email, u.password), "Origin", a.url)
	c := refreshCookie(t, r)
	secrets = append(secrets, c.Value, r.json()["access_token"].(string))
	access := r.json()["access_token"].(string)
	a.req("POST", "/api/users/me/password", map[string]string{"current_password": u.password, "new_password": "brand-new-secret"}, bearer(access)...)
	secrets = append(secrets, "brand-new-secret")
	a.req("DELETE", "/api/users/me", map[string]string{"password": "brand-new-secret"}, bearer(access)...)

	logs := a.logs.String()
	if !strings.Contains(logs, "path=/api/auth/token") || !strings.Contains(logs, "user_id=") {
		t.Fatalf("the log does not look like the access log:\n%s", logs)
	}
	for _, s := range secrets {
		for _, part := range append([]string{s}, strings.Split(s, ".")...) {
			if len(part) >= 8 && strings.Contains(logs, part) {
				t.Errorf("the log contains a secret (%d characters)", len(part))
			}
		}
	}
	if strings.Contains(logs, "$2a$") || strings.Contains(logs, "Bearer") || strings.Contains(logs, "gatehouse_refresh") {
		t.Error("the log contains a hash, an Authorization header or the cookie")
	}
}
