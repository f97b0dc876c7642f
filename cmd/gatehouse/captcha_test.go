package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/captcha"
)

// Two instances on one database without Redis: they sign with the one key made on first start
// (stored sealed), and a solution used on one is refused by the other.
func TestServe_CaptchaSharedThroughDatabase(t *testing.T) {
	env := map[string]string{
		"GATEHOUSE_DATABASE_URL":     filepath.Join(t.TempDir(), "gatehouse.db"),
		"GATEHOUSE_BCRYPT_COST":      "10",
		"GATEHOUSE_CAPTCHA_REGISTER": "always",
	}
	a := start(t, env)
	b := start(t, env)
	body := func(email, sol string) string {
		m, _ := json.Marshal(map[string]string{"email": email, "first_name": "A", "last_name": "B", "password": "violet-kayak-mercury-19", "captcha": sol})
		return string(m)
	}

	status, m := post(t, a.url+"/api/auth/register", "application/json", body("ada@example.com", ""))
	if status != http.StatusForbidden || m["code"] != "captcha_required" {
		t.Fatalf("register without a solution: got %d %v, want 403 captcha_required", status, m)
	}
	resp, err := http.Get(a.url + "/api/auth/captcha?action=register")
	if err != nil {
		t.Fatal(err)
	}
	var c captcha.Challenge
	err = json.NewDecoder(resp.Body).Decode(&c)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := captcha.Solve(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if status, m := post(t, b.url+"/api/auth/register", "application/json", body("ada@example.com", s.Encode())); status != http.StatusCreated {
		t.Fatalf("instance B, a challenge from A: got %d %v, want 201", status, m)
	}
	if status, m := post(t, a.url+"/api/auth/register", "application/json", body("bob@example.com", s.Encode())); status != http.StatusForbidden || m["code"] != "captcha_invalid" {
		t.Fatalf("instance A, the same solution again: got %d %v, want 403 captcha_invalid", status, m)
	}
}
