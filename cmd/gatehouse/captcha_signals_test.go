package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/guard"
)

func TestCaptchaPressure(t *testing.T) {
	for _, tt := range []struct {
		name   string
		action captcha.Action
		in     guard.Pressure
		want   captcha.Pressure
	}{
		{"quiet sign-in", captcha.ActionSignIn, guard.Pressure{}, captcha.Pressure{}},
		{"some failures", captcha.ActionSignIn, guard.Pressure{ClientFailures: 2}, captcha.Pressure{Level: captcha.LevelElevated}},
		{"account under attack", captcha.ActionSignIn, guard.Pressure{AccountUnderAttack: true}, captcha.Pressure{Required: true, Level: captcha.LevelHigh}},
		{"breaker tripped", captcha.ActionSignIn, guard.Pressure{GlobalTripped: true}, captcha.Pressure{Required: true, Level: captcha.LevelAttack}},
		{"trusted device under attack", captcha.ActionSignIn, guard.Pressure{AccountUnderAttack: true, GlobalTripped: true, Trusted: true}, captcha.Pressure{}},
		{"quiet registration", captcha.ActionRegister, guard.Pressure{Registrations: 3}, captcha.Pressure{}},
		{"sign-up wave", captcha.ActionRegister, guard.Pressure{Registrations: registrationsPerMinuteForCaptcha}, captcha.Pressure{Required: true, Level: captcha.LevelHigh}},
		{"registration while sign-ins are attacked", captcha.ActionRegister, guard.Pressure{AccountUnderAttack: true}, captcha.Pressure{Level: captcha.LevelHigh}},
	} {
		if got := captchaPressure(tt.action, tt.in); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// An account under attack: an untrusted client must solve a CAPTCHA before its password is
// even looked at, while the owner's trusted device signs in at once, without a challenge.
func TestRun_CaptchaUnderAttack(t *testing.T) {
	in := start(t, map[string]string{
		"GATEHOUSE_DATABASE_URL": filepath.Join(t.TempDir(), "gatehouse.db"), "GATEHOUSE_BCRYPT_COST": "10",
		"GATEHOUSE_RATE_SIGN_IN_ACCOUNT": "1/h,3", "GATEHOUSE_RATE_SIGN_IN_ACCOUNT_IP": "off", "GATEHOUSE_RATE_SIGN_IN_IP": "off",
	})
	email, pw := "ada@example.com", "correct horse battery"
	if status, body := post(t, in.url+"/api/auth/register", "application/json",
		`{"email":"ada@example.com","first_name":"Ada","last_name":"Lovelace","password":"correct horse battery"}`); status != http.StatusCreated {
		t.Fatalf("register: got %d %v", status, body)
	}
	status, body := signIn(t, in.url, email, pw, "")
	device, _ := body["device_token"].(string)
	if status != http.StatusOK || device == "" {
		t.Fatalf("sign in: got %d %v, want 200 with a device_token", status, body)
	}
	for i := range 3 {
		if status, body := signIn(t, in.url, email, "wrong password", ""); status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d %v, want 401", i+1, status, body)
		}
	}
	if status, body := signIn(t, in.url, email, pw, ""); status != http.StatusForbidden || body["code"] != "captcha_required" {
		t.Fatalf("untrusted client under attack: got %d %v, want 403 captcha_required", status, body)
	}
	if status, body := signIn(t, in.url, email, pw, device); status != http.StatusOK {
		t.Fatalf("owner's trusted device under attack: got %d %v, want 200 at once", status, body)
	}

	// A solved challenge gets the untrusted client past the CAPTCHA, to the progressive delay.
	resp, err := http.Get(in.url + "/api/auth/captcha?action=sign_in")
	if err != nil {
		t.Fatal(err)
	}
	var c captcha.Challenge
	err = json.NewDecoder(resp.Body).Decode(&c)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	sol, err := captcha.Solve(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"username": {email}, "password": {pw}, "captcha": {sol.Encode()}}
	if status, body := post(t, in.url+"/api/auth/token", "application/x-www-form-urlencoded", form.Encode()); status != http.StatusTooManyRequests {
		t.Fatalf("untrusted client with a solved challenge: got %d %v, want 429 (the delay still holds)", status, body)
	}
}
