package auth_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
)

var mailTokenRe = regexp.MustCompile(`#token=([A-Za-z0-9_%-]+)`)

// mailedToken claims the queued mails and returns the token of the newest whose subject
// contains subject.
func (e *env) mailedToken(t *testing.T, subject string) string {
	t.Helper()
	q, err := e.store.ClaimMail(t.Context(), e.clock.Now().Add(time.Hour), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(q) - 1; i >= 0; i-- {
		if strings.Contains(q[i].Subject, subject) {
			tok, err := url.QueryUnescape(mailTokenRe.FindStringSubmatch(q[i].Text)[1])
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
	}
	t.Fatalf("no queued mail about %q among %d", subject, len(q))
	return ""
}

func TestService_VerifyEmail_Expires(t *testing.T) {
	e := newService(t)
	e.register(t, testEmail, testPassword)
	tok := e.mailedToken(t, "Confirm")
	e.clock.Advance(auth.DefaultVerifyEmailTTL)
	wantErr(t, "VerifyEmail after 24 h", e.svc.VerifyEmail(t.Context(), auth.TokenInput{Token: tok}), auth.ErrInvalidToken)
}

func TestService_ResetPassword_Expires(t *testing.T) {
	e := newService(t)
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	go e.svc.RunMailRequests(ctx)
	e.register(t, testEmail, testPassword)
	if err := e.svc.RequestPasswordReset(t.Context(), auth.EmailInput{Email: testEmail}, auth.Client{IP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	var tok string
	for deadline := time.Now().Add(5 * time.Second); tok == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		q, _ := e.store.ClaimMail(t.Context(), e.clock.Now().Add(time.Hour), time.Minute, 100)
		for _, m := range q {
			if strings.Contains(m.Subject, "Reset") {
				s, _ := url.QueryUnescape(mailTokenRe.FindStringSubmatch(m.Text)[1])
				tok = s
			}
		}
	}
	if tok == "" {
		t.Fatal("no reset mail was queued")
	}
	e.clock.Advance(auth.DefaultPasswordResetTTL)
	err := e.svc.ResetPassword(t.Context(), auth.ResetPasswordInput{Token: tok, NewPassword: "a new password"})
	wantErr(t, "ResetPassword after 1 h", err, auth.ErrInvalidToken)
}

func TestService_VerifyEmail_WrongPurpose(t *testing.T) {
	e := newService(t)
	e.register(t, testEmail, testPassword)
	tok := e.mailedToken(t, "Confirm")
	// A verification token is no reset token.
	err := e.svc.ResetPassword(t.Context(), auth.ResetPasswordInput{Token: tok, NewPassword: "a new password"})
	wantErr(t, "ResetPassword with a verification token", err, auth.ErrInvalidToken)
}

func TestService_MarkEmailVerified(t *testing.T) {
	e := newService(t)
	e.register(t, testEmail, testPassword)
	u, err := e.svc.MarkEmailVerified(t.Context(), "  ADA@example.com ")
	if err != nil {
		t.Fatal(err)
	}
	if u.EmailVerifiedAt == nil || !u.EmailVerifiedAt.Equal(e.clock.Now()) {
		t.Fatalf("got EmailVerifiedAt %v, want %v", u.EmailVerifiedAt, e.clock.Now())
	}
	_, err = e.svc.MarkEmailVerified(t.Context(), "nobody@example.com")
	wantErr(t, "MarkEmailVerified of an unknown address", err, auth.ErrUserNotFound)
}
