package main

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serve builds the policy from the settings: the blocklist file and a HIBP mirror (a local
// range server) are used, the endpoint states them, and a blocklist that cannot be read stops
// the start with the variable named.
func TestServe_PasswordPolicy(t *testing.T) {
	list := filepath.Join(t.TempDir(), "blocklist.txt")
	if err := os.WriteFile(list, []byte("Listed-Passphrase-Here-7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const breached = "quizzical-otter-marmalade-71"
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sum := sha1.Sum([]byte(breached))
		if d := strings.ToUpper(hex.EncodeToString(sum[:])); "/range/"+d[:5] == r.URL.Path {
			fmt.Fprintf(w, "%s:7\r\n", d[5:])
		}
	}))
	defer mirror.Close()
	env := map[string]string{
		"GATEHOUSE_DATABASE_URL": filepath.Join(t.TempDir(), "gatehouse.db"), "GATEHOUSE_BCRYPT_COST": "10",
		"GATEHOUSE_PASSWORD_MIN_LENGTH": "12", "GATEHOUSE_PASSWORD_BLOCKLIST": list,
		"GATEHOUSE_PASSWORD_HIBP": "on", "GATEHOUSE_PASSWORD_HIBP_URL": mirror.URL, "GATEHOUSE_PASSWORD_HIBP_FAIL": "closed",
	}
	srv := start(t, env)
	status, policy := get(t, srv.url+"/api/auth/password-policy", "")
	if status != http.StatusOK || policy["min_length"] != 12.0 || policy["breach_check"] != "hibp" || policy["blocklist"] != true {
		t.Errorf("policy: got %d %v, want min_length 12, hibp and a blocklist", status, policy)
	}
	register := func(pw string) (int, map[string]any) {
		return post(t, srv.url+"/api/auth/register", "application/json",
			`{"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "password": "`+pw+`"}`)
	}
	for pw, typ := range map[string]string{
		"listed-passphrase-here-7": "value_error.password.common",
		breached:                   "value_error.password.breached",
		"violet-kaya":              "value_error.password.too_short",
	} {
		status, body := register(pw)
		if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(body["detail"]), typ) {
			t.Errorf("register with %q: got %d %v, want 422 %s", pw, status, body, typ)
		}
	}
	if status, body := register("violet-kayak-mercury-19"); status != http.StatusCreated {
		t.Errorf("register with a strong password: got %d %v, want 201", status, body)
	}

	missing := maps.Clone(env) // the running server still reads env
	missing["GATEHOUSE_PASSWORD_BLOCKLIST"] = filepath.Join(t.TempDir(), "missing.txt")
	_, err := gatehouse(t, missing, "", "serve")
	if exitCode(err) != exitUsage || err == nil || !strings.Contains(err.Error(), "GATEHOUSE_PASSWORD_BLOCKLIST: open ") {
		t.Errorf("serve with a missing blocklist: got %v, want exit %d naming the variable", err, exitUsage)
	}
}
