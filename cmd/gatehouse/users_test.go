package main

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// Every users subcommand on each dialect, against a running server: what an operator does
// takes effect on the users' sessions at once.
func TestUsers(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			env := map[string]string{"GATEHOUSE_BCRYPT_COST": "10"}
			if dialect == "sqlite" {
				env["GATEHOUSE_DATABASE_URL"] = filepath.Join(t.TempDir(), "gatehouse.db")
			} else {
				env["GATEHOUSE_DATABASE_URL"] = storetest.PostgresURL(t)
				env["GATEHOUSE_SECRET_KEY"] = newSecretKey(t)
			}
			srv := start(t, env)
			users := func(stdin string, args ...string) (string, error) {
				t.Helper()
				return gatehouse(t, env, stdin, append([]string{"users"}, append(args, "-log-level", "warn")...)...)
			}
			wantCode := func(what string, err error, code int) {
				t.Helper()
				if got := exitCode(err); got != code {
					t.Errorf("%s: got exit %d (%v), want %d", what, got, err, code)
				}
			}

			// create: the password from stdin, judged by the policy as the API judges one.
			out, err := users("violet-kayak-mercury-19\n", "create", "-email", "Op@Example.com", "-first-name", "Op", "-last-name", "Erator")
			if err != nil || !strings.Contains(out, "created user") || !strings.Contains(out, "<op@example.com>") {
				t.Fatalf("create: got %q %v", out, err)
			}
			_, err = users("short\n", "create", "-email", "weak@example.com", "-first-name", "W", "-last-name", "K")
			if err == nil || !strings.Contains(err.Error(), "password: ensure this value has at least 8 characters") {
				t.Errorf("create with a short password: got %v, want the API's message", err)
			}
			for _, pw := range []string{"password123", "Kowalski2026"} {
				_, err = users(pw+"\n", "create", "-email", "weak@example.com", "-first-name", "W", "-last-name", "Kowalski")
				if wantCode("create with "+pw, err, exitError); err == nil || !strings.Contains(err.Error(), "password: This password is") {
					t.Errorf("create with %s: got %v, want the policy's refusal", pw, err)
				}
			}
			_, err = users("violet-kayak-mercury-19\n", "create", "-email", "op@example.com", "-first-name", "Op", "-last-name", "Again")
			wantCode("create a taken email", err, exitError)
			if signInStatus(t, srv.url, "op@example.com", "violet-kayak-mercury-19") != http.StatusOK {
				t.Fatal("sign in as the created user")
			}

			// list: a table, JSON, filters.
			out, err = users("", "list")
			if err != nil || !strings.Contains(out, "EMAIL") || !strings.Contains(out, "op@example.com") {
				t.Errorf("list: got %q %v", out, err)
			}
			out, err = users("", "list", "--json", "--email", "OP@")
			var list []map[string]any
			if err != nil || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0]["email"] != "op@example.com" || list[0]["has_password"] != true {
				t.Errorf("list --json --email: got %q %v", out, err)
			}
			if strings.Contains(out, "password_hash") || strings.Contains(out, "$2a$") || strings.Contains(out, "security_stamp") {
				t.Errorf("list --json shows a secret: %s", out)
			}
			out, _ = users("", "list", "--json", "--since", "2999-01-01")
			if strings.TrimSpace(out) != "[]" {
				t.Errorf("list --since the future: got %q, want []", out)
			}
			_, err = users("", "list", "--since", "yesterday")
			wantCode("list --since yesterday", err, exitUsage)

			// show: by email or id; unknown exits 3.
			out, err = users("", "show", "op@example.com", "--json")
			var shown map[string]any
			if err != nil || json.Unmarshal([]byte(out), &shown) != nil || shown["sessions"] != 1.0 {
				t.Fatalf("show --json: got %q %v, want one session", out, err)
			}
			out, err = users("", "show", shown["id"].(string))
			if err != nil || !strings.Contains(out, "email:          op@example.com") {
				t.Errorf("show by id: got %q %v", out, err)
			}
			_, err = users("", "show", "nobody@example.com")
			wantCode("show an unknown user", err, exitNotFound)
			_, err = users("", "show")
			wantCode("show without a user", err, exitUsage)

			// set-password: validated, and every session is signed out.
			_, tok := post(t, srv.url+"/api/auth/token", "application/x-www-form-urlencoded", "grant_type=password&username=op%40example.com&password=violet-kayak-mercury-19")
			access := tok["access_token"].(string)
			_, err = users(strings.Repeat("x", 73)+"\n", "set-password", "op@example.com")
			if err == nil || !strings.Contains(err.Error(), "72 bytes") {
				t.Errorf("set-password over 72 bytes: got %v, want refused", err)
			}
			_, err = users("Erator1815\n", "set-password", "op@example.com")
			if err == nil || !strings.Contains(err.Error(), "built from your email address, your name") {
				t.Errorf("set-password to the user's name and a year: got %v, want refused as personal", err)
			}
			blocklist := filepath.Join(t.TempDir(), "blocklist.txt")
			if err := os.WriteFile(blocklist, []byte("New-Password-1\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			listed := maps.Clone(env)
			listed["GATEHOUSE_PASSWORD_BLOCKLIST"] = blocklist
			_, err = gatehouse(t, listed, "new-password-1\n", "users", "set-password", "op@example.com")
			if err == nil || !strings.Contains(err.Error(), "one of the most common passwords") {
				t.Errorf("set-password to a blocklisted password: got %v, want refused as common", err)
			}
			listed["GATEHOUSE_PASSWORD_BLOCKLIST"] = filepath.Join(t.TempDir(), "missing.txt")
			_, err = gatehouse(t, listed, "new-password-1\n", "users", "set-password", "op@example.com")
			if wantCode("set-password with a missing blocklist", err, exitUsage); err == nil || !strings.Contains(err.Error(), "GATEHOUSE_PASSWORD_BLOCKLIST") {
				t.Errorf("a missing blocklist: got %v, want it named", err)
			}
			out, err = users("new-password-1\n", "set-password", "op@example.com")
			if err != nil || !strings.Contains(out, "every session signed out") {
				t.Fatalf("set-password: got %q %v", out, err)
			}
			if status, _ := get(t, srv.url+"/api/users/me", access); status != http.StatusUnauthorized {
				t.Errorf("old token after set-password: got %d, want 401", status)
			}
			if signInStatus(t, srv.url, "op@example.com", "violet-kayak-mercury-19") != http.StatusUnauthorized || signInStatus(t, srv.url, "op@example.com", "new-password-1") != http.StatusOK {
				t.Error("after set-password: the old password must fail and the new one sign in")
			}

			// verify-email: the API then says so; a second run keeps the first time.
			out, err = users("", "verify-email", "op@example.com")
			if err != nil || !strings.Contains(out, "verified") {
				t.Errorf("verify-email: got %q %v", out, err)
			}
			_, tok = post(t, srv.url+"/api/auth/token", "application/x-www-form-urlencoded", "grant_type=password&username=op%40example.com&password=new-password-1")
			if _, me := get(t, srv.url+"/api/users/me", tok["access_token"].(string)); me["email_verified"] != true || me["email_verified_at"] == nil {
				t.Errorf("me after verify-email: got %v, want verified", me)
			}
			again, err := users("", "verify-email", "op@example.com")
			if err != nil || again != out {
				t.Errorf("verify-email again: got %q %v, want %q (the first verification's time)", again, err, out)
			}
			_, err = users("", "verify-email", "nobody@example.com")
			wantCode("verify-email of an unknown user", err, exitNotFound)

			// revoke-sessions.
			_, tok = post(t, srv.url+"/api/auth/token", "application/x-www-form-urlencoded", "grant_type=password&username=op%40example.com&password=new-password-1")
			out, err = users("", "revoke-sessions", "op@example.com")
			if err != nil || !strings.Contains(out, "revoked 3 sessions") {
				t.Errorf("revoke-sessions: got %q %v, want 3 revoked", out, err)
			}
			if status, _ := get(t, srv.url+"/api/users/me", tok["access_token"].(string)); status != http.StatusUnauthorized {
				t.Errorf("token after revoke-sessions: got %d, want 401", status)
			}

			// delete: asks; a wrong answer deletes nothing and exits 4.
			_, err = users("no\n", "delete", "op@example.com")
			wantCode("delete declined", err, exitDeclined)
			if _, err := users("", "show", "op@example.com"); err != nil {
				t.Errorf("user after a declined delete: %v", err)
			}
			out, err = users("op@example.com\n", "delete", "op@example.com")
			if err != nil || !strings.Contains(out, "deleted") {
				t.Errorf("delete confirmed: got %q %v", out, err)
			}
			users("violet-kayak-mercury-19\n", "create", "-email", "gone@example.com", "-first-name", "G", "-last-name", "One")
			if _, err := users("", "delete", "gone@example.com", "--yes"); err != nil {
				t.Errorf("delete --yes: %v", err)
			}
			for _, email := range []string{"op@example.com", "gone@example.com"} {
				_, err = users("", "show", email)
				wantCode("show after delete", err, exitNotFound)
			}
		})
	}
}
