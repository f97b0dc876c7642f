package main

import (
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	devMailLink = regexp.MustCompile(`href="(/dev/mailbox/[0-9a-f-]{36})">([^<]*)<`)
	devToken    = regexp.MustCompile(`#token=([A-Za-z0-9_%-]+)`)
	devCode     = regexp.MustCompile(`<strong>(\d{6,8})</strong>`)
)

// page fetches a page of the development mailbox.
func page(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// devMail waits for a mail whose subject contains subject on the development mailbox page and
// returns its token and code.
func devMail(t *testing.T, base, subject string) (tok, code string) {
	t.Helper()
	var body string
	waitFor(t, "a mail about "+subject, func() bool {
		for _, m := range devMailLink.FindAllStringSubmatch(page(t, base+"/dev/mailbox"), -1) {
			if strings.Contains(m[2], subject) {
				body = page(t, base+m[1])
				return true
			}
		}
		return false
	})
	tok, _ = url.QueryUnescape(devToken.FindStringSubmatch(body)[1])
	return tok, devCode.FindStringSubmatch(body)[1]
}

// What make run gives a newcomer: with the development mailbox on, verification and a reset
// complete through its page, with nothing else installed, and no log line holds a token or code.
func TestRun_EmailFlowsThroughDevMailbox(t *testing.T) {
	dir := t.TempDir()
	inst := start(t, map[string]string{
		"GATEHOUSE_DATABASE_URL": filepath.Join(dir, "gatehouse.db"), "GATEHOUSE_SECRET_KEY": newSecretKey(t),
		"GATEHOUSE_DEV_MAILBOX": "true", "GATEHOUSE_LOG_LEVEL": "debug",
	})
	access := articleFlow(t, inst.url, inst.url, inst.url)
	tok, code := devMail(t, inst.url, "Confirm your email")
	if status, body := post(t, inst.url+"/api/auth/verify-email", "application/json",
		`{"email":"test@example.com","code":"`+code+`"}`); status != http.StatusOK {
		t.Fatalf("verify by code: got %d %v", status, body)
	}
	if _, me := get(t, inst.url+"/api/users/me", access); me["email_verified"] != true {
		t.Fatalf("got %v, want verified", me)
	}

	post(t, inst.url+"/api/auth/password-reset", "application/json", `{"email":"test@example.com"}`)
	rtok, rcode := devMail(t, inst.url, "Reset your")
	if status, body := post(t, inst.url+"/api/auth/password-reset/confirm", "application/json",
		`{"token":"`+rtok+`","new_password":"a brand new password"}`); status != http.StatusOK {
		t.Fatalf("reset: got %d %v", status, body)
	}
	if status, _ := get(t, inst.url+"/api/users/me", access); status != http.StatusUnauthorized {
		t.Fatalf("the old session after a reset: got %d, want 401", status)
	}
	form := url.Values{"username": {"test@example.com"}, "password": {"a brand new password"}}.Encode()
	if status, body := post(t, inst.url+"/api/auth/token", "application/x-www-form-urlencoded", form); status != http.StatusOK {
		t.Fatalf("sign in with the new password: got %d %v", status, body)
	}
	inst.stop()
	log := inst.out.String()
	for _, secret := range []string{tok, code, rtok, rcode, url.QueryEscape(tok), url.QueryEscape(rtok)} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains a token or code %q", secret)
		}
	}
}
