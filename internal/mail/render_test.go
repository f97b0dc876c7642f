package mail_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
)

// TestRenderer renders every kind of mail and checks its structure: a subject naming the
// site, a text and an HTML part, the link and the code in both, no remote resource in the
// HTML, every link under the public URL, and the user's name escaped.
func TestRenderer(t *testing.T) {
	r := renderer(t)
	const name = `Ada <script>alert(1)</script> & "Co"`
	at := time.Date(2030, 5, 6, 7, 8, 0, 0, time.UTC)
	tests := []struct {
		kind        mail.Kind
		render      func() (*mail.Message, error)
		link, code  string
		mustContain []string
	}{
		{mail.KindVerifyEmail, func() (*mail.Message, error) {
			return r.VerifyEmail("a@example.com", mail.VerifyEmail{Name: name, Token: "tok-verify", Code: "123456", ValidFor: 24 * time.Hour})
		}, publicURL + "/auth/verify-email#token=tok-verify", "123456", []string{"24 hours"}},
		{mail.KindPasswordReset, func() (*mail.Message, error) {
			return r.PasswordReset("a@example.com", mail.PasswordReset{Name: name, Token: "tok-reset", Code: "6543210", ValidFor: time.Hour})
		}, publicURL + "/auth/reset-password#token=tok-reset", "6543210", []string{"1 hour"}},
		{mail.KindEmailChange, func() (*mail.Message, error) {
			return r.EmailChange("new@example.com", mail.EmailChange{Name: name, NewEmail: "new@example.com", Token: "tok-change", Code: "11223344", ValidFor: 24 * time.Hour})
		}, publicURL + "/auth/confirm-email#token=tok-change", "11223344", []string{"new@example.com"}},
		{mail.KindEmailChangeNotice, func() (*mail.Message, error) {
			return r.EmailChangeNotice("old@example.com", mail.EmailChangeNotice{Name: name, NewEmail: "new@example.com", ReportToken: "tok-report"})
		}, publicURL + "/auth/report-email-change#token=tok-report", "", []string{"new@example.com", publicURL + "/auth/forgot-password"}},
		{mail.KindPasswordChanged, func() (*mail.Message, error) {
			return r.PasswordChanged("a@example.com", mail.PasswordChanged{Name: name, At: at})
		}, publicURL + "/auth/forgot-password", "", []string{"6 May 2030 at 07:08 UTC"}},
		{mail.KindNewDeviceSignIn, func() (*mail.Message, error) {
			return r.NewDeviceSignIn("a@example.com", mail.NewDeviceSignIn{Name: name, At: at, UserAgent: "Firefox <on> Linux", IP: "192.0.2.7"})
		}, publicURL + "/auth/forgot-password", "", []string{"192.0.2.7", publicURL + "/accounts"}},
		{mail.KindRegistrationAttempt, func() (*mail.Message, error) {
			return r.RegistrationAttempt("a@example.com", mail.RegistrationAttempt{At: at})
		}, publicURL + "/auth/login", "", []string{publicURL + "/auth/forgot-password"}},
	}
	remote := regexp.MustCompile(`(?i)<img|<link|<script|src\s*=|url\(|@import|<iframe|<object|<form`)
	href := regexp.MustCompile(`href="([^"]*)"`)
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			m, err := tt.render()
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if m.Kind != tt.kind || !strings.Contains(m.Subject, "Gatehouse") || strings.ContainsAny(m.Subject, "\r\n") {
				t.Errorf("kind %q subject %q: want kind %q and a one-line subject naming the site", m.Kind, m.Subject, tt.kind)
			}
			if m.Text == "" || !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") {
				t.Fatalf("parts: got text %d bytes, HTML starting %.20q; want both", len(m.Text), m.HTML)
			}
			for _, part := range []struct{ name, body string }{{"text", m.Text}, {"html", m.HTML}} {
				want := append([]string{tt.link}, tt.mustContain...)
				if tt.code != "" {
					want = append(want, tt.code)
				}
				for _, w := range want {
					if !strings.Contains(part.body, w) && !strings.Contains(part.body, strings.ReplaceAll(w, "&", "&amp;")) {
						t.Errorf("%s part: does not contain %q", part.name, w)
					}
				}
			}
			if loc := remote.FindString(m.HTML); loc != "" {
				t.Errorf("HTML part: contains %q, want no remote resource or script", loc)
			}
			for _, h := range href.FindAllStringSubmatch(m.HTML, -1) {
				if !strings.HasPrefix(h[1], publicURL+"/") {
					t.Errorf("HTML link %q: want it under %s (no redirect or tracking link)", h[1], publicURL)
				}
			}
			if strings.Contains(m.HTML, "<script>alert") || strings.Contains(m.HTML, "Firefox <on>") {
				t.Error("HTML part: a user-controlled value is not escaped")
			}
			if tt.kind != mail.KindRegistrationAttempt && !strings.Contains(m.HTML, "Ada &lt;script&gt;") {
				t.Errorf("HTML part: want the escaped name, got none in %q", m.HTML)
			}
		})
	}
}

func TestNewRenderer_Invalid(t *testing.T) {
	for _, c := range []struct{ site, url string }{
		{"Gatehouse", "accounts.example.com"},
		{"Gatehouse", "https://accounts.example.com/?x=1"},
		{"Gatehouse", "https://accounts.example.com/#top"},
		{"Gatehouse", "ftp://accounts.example.com"},
		{"Gate\nhouse", "https://accounts.example.com"},
		{"", "https://accounts.example.com"},
	} {
		if _, err := mail.NewRenderer(c.site, c.url); err == nil {
			t.Errorf("NewRenderer(%q, %q): got nil error, want one", c.site, c.url)
		}
	}
}

func TestRenderer_RefusesBadCodes(t *testing.T) {
	r := renderer(t)
	for _, code := range []string{"", "12345", "123456789", "12a456"} {
		if _, err := r.VerifyEmail("a@example.com", mail.VerifyEmail{Token: "t", Code: code, ValidFor: time.Hour}); err == nil {
			t.Errorf("VerifyEmail with code %q: got nil error, want one", code)
		}
	}
	if _, err := r.PasswordReset("a@example.com", mail.PasswordReset{Code: "123456", ValidFor: time.Hour}); err == nil {
		t.Error("PasswordReset without a token: got nil error, want one")
	}
}
