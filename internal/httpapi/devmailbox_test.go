package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func TestDevMailbox(t *testing.T) {
	st := storetest.OpenSQLite(t)
	box, err := mail.NewDevMailbox(t.TempDir(), "Gatehouse <noreply@gatehouse.test>", "gatehouse.test")
	if err != nil {
		t.Fatal(err)
	}
	a := newAPI(t, st, apiOptions{devMailbox: box})
	a.register("ada@example.com")
	if err := mail.NewRelay(mail.RelayOptions{Store: st, Sender: box}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}

	list := a.req("GET", "/dev/mailbox", nil)
	wantStatus(t, list, http.StatusOK)
	if csp := list.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Fatalf("got CSP %q, want one that allows no script", csp)
	}
	href := regexp.MustCompile(`href="(/dev/mailbox/[0-9a-f-]{36})"`).FindStringSubmatch(string(list.body))
	if href == nil || !strings.Contains(string(list.body), "Confirm your email address") {
		t.Fatalf("the list shows no mail:\n%s", list.body)
	}
	page := a.req("GET", href[1], nil)
	wantStatus(t, page, http.StatusOK)
	body := string(page.body)
	for _, want := range []string{`href="http://localhost:8000/auth/verify-email#token=`, `<iframe title="The mail's HTML part" sandbox srcdoc="&lt;!DOCTYPE`} {
		if !strings.Contains(body, want) {
			t.Errorf("the mail's page lacks %q:\n%s", want, body)
		}
	}
	if !regexp.MustCompile(`<strong>\d{6}</strong>`).MatchString(body) {
		t.Errorf("the mail's page shows no code:\n%s", body)
	}
	if strings.Contains(body, "<script") {
		t.Errorf("the page holds a script element:\n%s", body)
	}
	wantStatus(t, a.req("GET", "/dev/mailbox/00000000-0000-0000-0000-000000000001", nil), http.StatusNotFound)

	// From another machine, even one claiming loopback in X-Forwarded-For: not there.
	for _, path := range []string{"/dev/mailbox", href[1]} {
		r := httptest.NewRequest("GET", path, nil)
		r.RemoteAddr = "203.0.113.7:41000"
		r.Header.Set("X-Forwarded-For", "127.0.0.1")
		w := httptest.NewRecorder()
		a.handler.ServeHTTP(w, r)
		if w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "token=") {
			t.Errorf("GET %s from afar: got %d %s, want 404", path, w.Code, w.Body)
		}
	}
}

func TestDevMailbox_Off(t *testing.T) {
	app := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>app</title>")}}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{web: app})
	wantStatus(t, a.req("GET", "/dev/mailbox", nil), http.StatusNotFound)
}
