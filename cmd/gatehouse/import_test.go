package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/importer"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

const articleDB = "../../internal/importer/testdata/article/article.db"

// fixtureUser is one entry of the fixture's users.json.
type fixtureUser struct {
	ID          string `json:"id"`
	SignInEmail string `json:"sign_in_email"`
	Password    string `json:"password"`
	Expect      string `json:"expect"`
	SignIn      string `json:"sign_in"`
	MostRecent  bool   `json:"most_recent"`
}

func fixtureUsers(t *testing.T) []fixtureUser {
	t.Helper()
	b, err := os.ReadFile("../../internal/importer/testdata/article/users.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Users []fixtureUser }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Users
}

// gatehouse runs one command with env and stdin, and returns what it printed.
func gatehouse(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out syncBuffer
	err := runIO(context.Background(), append([]string{"gatehouse"}, args...), func(k string) string { return env[k] },
		strings.NewReader(stdin), &out)
	return out.String(), err
}

// signInStatus signs in with the password grant from a client without a device token and
// returns the status.
func signInStatus(t *testing.T, base, email, pw string) int {
	t.Helper()
	status, _ := signIn(t, base, email, pw, "")
	return status
}

// The committed fixture, written by real SQLAlchemy and passlib, imported into each dialect:
// every importable user signs in through the HTTP API with their original password, the
// case-variant kept is the one used most recently, and the 100-byte password signs in once.
func TestImport_ArticleFixture(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			// Every fixture user signs in from this one address: the per-IP sign-in limit (a
			// test of its own) stays out of the way.
			env := map[string]string{"GATEHOUSE_BCRYPT_COST": "10", "GATEHOUSE_RATE_SIGN_IN_IP": "off"}
			if dialect == "sqlite" {
				env["GATEHOUSE_DATABASE_URL"] = filepath.Join(t.TempDir(), "gatehouse.db")
			} else {
				env["GATEHOUSE_DATABASE_URL"] = storetest.PostgresURL(t)
				env["GATEHOUSE_SECRET_KEY"] = newSecretKey(t)
			}
			out, err := gatehouse(t, env, "", "import", "--from", articleDB, "--on-conflict", "recent")
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			users := fixtureUsers(t)
			for _, u := range users {
				reported := strings.Contains(out, "id="+u.ID+" ") || u.Expect == "id_not_uuid" && strings.Contains(out, "id=3.14159")
				want := map[string]bool{"imported": false, "conflict": !u.MostRecent}[u.Expect]
				if u.Expect != "imported" && u.Expect != "conflict" {
					want = true
				}
				if reported != want {
					t.Errorf("%s (%s): reported %t, want %t\n%s", u.ID, u.Expect, reported, want, out)
				}
			}
			if !strings.Contains(out, "imported 9 of 13 users") {
				t.Errorf("summary: got %q, want 9 of 13 imported", out)
			}

			srv := start(t, env)
			for _, u := range users {
				want := http.StatusUnauthorized
				if u.SignIn == "ok" || u.SignIn == "ok_rehashed" || u.SignIn == "truncated" {
					want = http.StatusOK
				}
				if u.Expect == "conflict" && !u.MostRecent {
					want = http.StatusUnauthorized
				}
				if got := signInStatus(t, srv.url, u.SignInEmail, u.Password); got != want {
					t.Errorf("sign in %s (%s, %s): got %d, want %d", u.SignInEmail, u.Expect, u.SignIn, got, want)
				}
				switch u.SignIn {
				case "ok_rehashed", "ok":
					if want == http.StatusOK {
						if got := signInStatus(t, srv.url, u.SignInEmail, u.Password); got != http.StatusOK {
							t.Errorf("second sign-in %s (after any rehash): got %d, want 200", u.SignInEmail, got)
						}
					}
				case "truncated":
					if got := signInStatus(t, srv.url, u.SignInEmail, u.Password); got != http.StatusUnauthorized {
						t.Errorf("second sign-in of %s with the %d-byte password: got %d, want 401 (once only)", u.SignInEmail, len(u.Password), got)
					}
					if got := signInStatus(t, srv.url, u.SignInEmail, u.Password[:72]); got != http.StatusOK {
						t.Errorf("sign-in of %s with its first 72 bytes: got %d, want 200", u.SignInEmail, got)
					}
				}
			}
			// What was kept: the id and the naive timestamps, read as UTC.
			status, tok := post(t, srv.url+"/api/auth/token", "application/x-www-form-urlencoded",
				"grant_type=password&username=grace%40example.com&password=securepass123")
			if status != http.StatusOK {
				t.Fatalf("sign in grace: %d", status)
			}
			// The article's users keep passwords the policy now refuses: they sign in all the
			// same, and are told to change them.
			if tok["password_change_required"] != true || tok["password_change_reason"] != "value_error.password.weak" {
				t.Errorf("sign in grace with the fixture's securepass123: got %v, want password_change_required true, reason weak", tok)
			}
			_, me := get(t, srv.url+"/api/users/me", tok["access_token"].(string))
			if me["id"] != "9a8b7c6d-5e4f-4321-8765-fedcba987654" || me["created_at"] != "2024-02-29T23:59:59.999999Z" {
				t.Errorf("me: got %v, want the source's id and created_at in UTC", me)
			}
		})
	}
}

// A JSON Lines file with the three hash formats and a user without one: each signs in through
// the API with their password, and the one without a hash does not.
func TestImport_JSONL(t *testing.T) {
	records, err := importer.ReadArticle(context.Background(), articleDB)
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string]string{}
	for _, r := range records {
		hashes[r.Email] = r.Hash
	}
	var lines []string
	for _, l := range []struct{ email, hash string }{
		{"bcrypt@example.com", hashes["grace@example.com"]},
		{"argon@example.com", hashes["argon@example.com"]},
		{"pbkdf2@example.com", hashes["pbkdf2@example.com"]},
		{"nohash@example.com", ""},
	} {
		m := map[string]string{"email": l.email, "first_name": "J", "last_name": "L"}
		if l.hash != "" {
			m["password_hash"] = l.hash
		}
		b, _ := json.Marshal(m)
		lines = append(lines, string(b))
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "users.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GATEHOUSE_BCRYPT_COST": "10", "GATEHOUSE_DATABASE_URL": filepath.Join(dir, "gatehouse.db"), "GATEHOUSE_RATE_SIGN_IN_IP": "off"}
	out, err := gatehouse(t, env, "", "import", "--from", file)
	if err != nil || !strings.Contains(out, "imported 4 of 4 users") || !strings.Contains(out, "no_password") {
		t.Fatalf("import: got %v\n%s", err, out)
	}
	srv := start(t, env)
	for email, pw := range map[string]string{"bcrypt@example.com": "securepass123", "argon@example.com": "argon2-was-here", "pbkdf2@example.com": "pbkdf2-was-here"} {
		for i := range 2 { // the second after the rehash to bcrypt
			if got := signInStatus(t, srv.url, email, pw); got != http.StatusOK {
				t.Errorf("sign in %s (#%d): got %d, want 200", email, i+1, got)
			}
		}
	}
	if got := signInStatus(t, srv.url, "nohash@example.com", ""); got == http.StatusOK {
		t.Errorf("sign in without a password: got %d, want refused", got)
	}
	if got := signInStatus(t, srv.url, "nohash@example.com", "anything-at-all"); got != http.StatusUnauthorized {
		t.Errorf("sign in as the user without a password: got %d, want 401", got)
	}
}
