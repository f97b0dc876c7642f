package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// flows is a server whose mail goes through the relay to a real SMTP server over TCP.
type flows struct {
	*api
	smtp  *mailtest.Server
	relay *mail.Relay
}

func newFlows(t *testing.T, st *store.Store, opt apiOptions) *flows {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{})
	server, err := mail.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(mail.SMTPOptions{
		Server: server, From: "Gatehouse <noreply@gatehouse.test>", Domain: "gatehouse.test",
		Timeout: 5 * time.Second, TLSConfig: srv.ClientTLS(),
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := mail.NewRenderer("Gatehouse", "http://gatehouse.test")
	if err != nil {
		t.Fatal(err)
	}
	opt.email.Mail, opt.email.Notices = r, !opt.noNotices
	return &flows{api: newAPI(t, st, opt), smtp: srv, relay: mail.NewRelay(mail.RelayOptions{Store: st, Sender: sender})}
}

// mails runs the relay until the SMTP server has received n mails, and returns them. Signed-
// out requests are queued in the background, so it polls; it fails after 10 s.
func (f *flows) mails(n int) []mailtest.Mail {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := f.relay.Run(context.Background()); err != nil {
			f.t.Fatal(err)
		}
		if got := f.smtp.Received(); len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("got %d mails, want %d", len(f.smtp.Received()), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// last is the newest mail to "to" whose subject contains subject.
func (f *flows) last(n int, to, subject string) mailtest.Mail {
	f.t.Helper()
	got := f.mails(n)
	for i := len(got) - 1; i >= 0; i-- {
		if slices.Contains(got[i].To, to) && strings.Contains(got[i].Subject, subject) {
			return got[i]
		}
	}
	f.t.Fatalf("no mail to %s about %q among %d", to, subject, len(got))
	return mailtest.Mail{}
}

var (
	tokenRe = regexp.MustCompile(`#token=([A-Za-z0-9_%-]+)`)
	codeRe  = regexp.MustCompile(`code: (\d{6,8})`)
)

// secrets returns the token of the mail's link to path, and its code if it has one.
func secrets(t *testing.T, m mailtest.Mail, path string) (tok, code string) {
	t.Helper()
	i := strings.Index(m.Text, "http://gatehouse.test"+path+"#token=")
	if i < 0 {
		t.Fatalf("mail %q has no link to %s:\n%s", m.Subject, path, m.Text)
	}
	tok, err := url.QueryUnescape(tokenRe.FindStringSubmatch(m.Text[i:])[1])
	if err != nil {
		t.Fatal(err)
	}
	if c := codeRe.FindStringSubmatch(m.Text); c != nil {
		code = c[1]
	}
	return tok, code
}

func wantCode(t *testing.T, r reply, status int, code string) {
	t.Helper()
	wantStatus(t, r, status)
	if got := r.json()["code"]; got != code {
		t.Fatalf("got code %v, want %s (%s)", got, code, r.body)
	}
}

func TestFlows_VerifyEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFlows(t, st, apiOptions{})
		u := f.register("ada@example.com")
		me := f.req("GET", "/api/users/me", nil, bearer(u.access)...)
		if m := me.json(); m["email_verified"] != false || m["email_verified_at"] != nil {
			t.Fatalf("new account: got %s, want unverified", me.body)
		}
		m := f.last(1, "ada@example.com", "Confirm your email address")
		tok, code := secrets(t, m, mail.PathVerifyEmail)
		if len(code) != 6 {
			t.Fatalf("got code %q, want 6 digits", code)
		}

		// A scanner fetching the link, with or without the token in a query, spends nothing.
		for _, method := range []string{"GET", "HEAD"} {
			for _, q := range []string{"", "?token=" + url.QueryEscape(tok), "?code=" + code + "&email=ada@example.com"} {
				f.req(method, mail.PathVerifyEmail+q, nil)
			}
		}
		wantStatus(t, f.req("POST", "/api/auth/verify-email", map[string]string{"token": tok}), http.StatusOK)
		me = f.req("GET", "/api/users/me", nil, bearer(u.access)...)
		if m := me.json(); m["email_verified"] != true || m["email_verified_at"] == nil {
			t.Fatalf("after verification: got %s, want verified", me.body)
		}
		wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"token": tok}), http.StatusBadRequest, "token_used")
		wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"email": "ada@example.com", "code": code}), http.StatusBadRequest, "token_used")
		wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"token": "nope"}), http.StatusBadRequest, "invalid_token")
		wantCode(t, f.req("POST", "/api/auth/verify-email/resend", nil, bearer(u.access)...), http.StatusConflict, "email_already_verified")
		noSecrets(t, f.api, tok, code)
	})
}

func TestFlows_VerifyEmailCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFlows(t, st, apiOptions{})
		u := f.register("ada@example.com")
		tok, code := secrets(t, f.last(1, "ada@example.com", "Confirm"), mail.PathVerifyEmail)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		for range auth.MaxCodeAttempts {
			wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"email": "ada@example.com", "code": wrong}), http.StatusBadRequest, "invalid_code")
		}
		// The code is dead after the wrong tries, even when right; the link still works.
		wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"email": "ada@example.com", "code": code}), http.StatusBadRequest, "invalid_code")
		wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"email": "ada@example.com"}), http.StatusUnprocessableEntity, "invalid_input")

		// A resend supersedes the first mail; its code works.
		wantStatus(t, f.req("POST", "/api/auth/verify-email/resend", nil, bearer(u.access)...), http.StatusAccepted)
		_, code2 := secrets(t, f.last(2, "ada@example.com", "Confirm"), mail.PathVerifyEmail)
		wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"token": tok}), http.StatusBadRequest, "invalid_token")
		wantStatus(t, f.req("POST", "/api/auth/verify-email", map[string]string{"email": "ADA@example.com", "code": code2}), http.StatusOK)
	})
}

// Guesses sent all at once get MaxCodeAttempts tries between them, not one each: each try is
// claimed before its comparison, so the right code sent among twenty wrong ones at once may
// lose its chance, and afterwards is dead like the rest.
func TestFlows_CodeGuessesInParallel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFlows(t, st, apiOptions{})
		f.register("ada@example.com")
		_, code := secrets(t, f.last(1, "ada@example.com", "Confirm"), mail.PathVerifyEmail)
		const guesses = 20
		codes := make(chan int, guesses)
		var wg sync.WaitGroup
		for i := range guesses {
			wg.Go(func() {
				guess := fmt.Sprintf("%06d", i)
				if guess == code {
					guess = "999999"
				}
				codes <- f.req("POST", "/api/auth/verify-email", map[string]string{"email": "ada@example.com", "code": guess}).status
			})
		}
		wg.Wait()
		close(codes)
		for status := range codes {
			if status != http.StatusBadRequest {
				t.Fatalf("a wrong guess: got %d, want 400", status)
			}
		}
		// Twenty tries came in together; the code is dead now, right or not.
		wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"email": "ada@example.com", "code": code}), http.StatusBadRequest, "invalid_code")

		// What makes that so: of concurrent claims on a fresh token, exactly MaxCodeAttempts
		// win (a read of the count before the comparison would have let all twenty through).
		wantStatus(t, f.req("POST", "/api/auth/verify-email/resend", map[string]string{"email": "ada@example.com"}), http.StatusAccepted)
		f.last(2, "ada@example.com", "Confirm")
		tok, err := st.FindEmailTokenByAddress(t.Context(), auth.PurposeVerifyEmail, "ada@example.com")
		if err != nil {
			t.Fatal(err)
		}
		var claimed atomic.Int32
		for range guesses {
			wg.Go(func() {
				ok, err := st.ClaimCodeAttempt(context.Background(), tok.ID, auth.MaxCodeAttempts)
				if err != nil {
					t.Error(err)
				}
				if ok {
					claimed.Add(1)
				}
			})
		}
		wg.Wait()
		if got := claimed.Load(); got != auth.MaxCodeAttempts {
			t.Fatalf("%d concurrent claims: %d won, want %d", guesses, got, auth.MaxCodeAttempts)
		}
	})
}

func TestFlows_ResendLimit(t *testing.T) {
	f := newFlows(t, storetest.OpenSQLite(t), apiOptions{})
	u := f.register("ada@example.com")
	for range auth.MailLimitPerAccount.Burst {
		wantStatus(t, f.req("POST", "/api/auth/verify-email/resend", nil, bearer(u.access)...), http.StatusAccepted)
	}
	r := f.req("POST", "/api/auth/verify-email/resend", nil, bearer(u.access)...)
	wantCode(t, r, http.StatusTooManyRequests, "mail_rate_limited")
	if r.header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	wantCode(t, f.req("POST", "/api/auth/verify-email/resend", nil, bearer("garbage")...), http.StatusUnauthorized, "not_authenticated")
}

func TestFlows_RequireVerifiedEmail(t *testing.T) {
	f := newFlows(t, storetest.OpenSQLite(t), apiOptions{email: auth.EmailOptions{RequireVerified: true}})
	wantStatus(t, f.req("POST", "/api/auth/register", map[string]string{
		"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "password": "violet-kayak-mercury-19",
	}), http.StatusCreated)
	form := func(pw string) url.Values { return url.Values{"username": {"ada@example.com"}, "password": {pw}} }
	wantCode(t, f.req("POST", "/api/auth/token", form("wrong password")), http.StatusUnauthorized, "invalid_credentials")
	wantCode(t, f.req("POST", "/api/auth/token", form("violet-kayak-mercury-19")), http.StatusForbidden, "email_not_verified")
	tok, _ := secrets(t, f.last(1, "ada@example.com", "Confirm"), mail.PathVerifyEmail)
	wantStatus(t, f.req("POST", "/api/auth/verify-email", map[string]string{"token": tok}), http.StatusOK)
	wantStatus(t, f.req("POST", "/api/auth/token", form("violet-kayak-mercury-19")), http.StatusOK)
}

func TestFlows_PasswordReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFlows(t, st, apiOptions{})
		a := f.register("ada@example.com")
		b := f.login(a)
		wantStatus(t, f.req("POST", "/api/auth/password-reset", map[string]string{"email": "Ada@Example.com"}), http.StatusAccepted)
		m := f.last(2, "ada@example.com", "Reset your")
		tok, code := secrets(t, m, mail.PathResetPassword)
		if len(code) != 8 {
			t.Fatalf("got code %q, want 8 digits", code)
		}
		f.req("GET", mail.PathResetPassword+"?token="+url.QueryEscape(tok), nil)
		wantCode(t, f.req("POST", "/api/auth/password-reset/confirm", map[string]string{"token": tok, "new_password": "short"}),
			http.StatusUnprocessableEntity, "invalid_input")
		wantStatus(t, f.req("POST", "/api/auth/password-reset/confirm", map[string]string{"token": tok, "new_password": "brand new password"}), http.StatusOK)

		for _, s := range []user{a, b} {
			wantStatus(t, f.req("GET", "/api/users/me", nil, bearer(s.access)...), http.StatusUnauthorized)
			wantStatus(t, f.req("POST", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {s.refresh}}), http.StatusUnauthorized)
		}
		wantStatus(t, f.req("POST", "/api/auth/token", url.Values{"username": {a.email}, "password": {a.password}}), http.StatusUnauthorized)
		c := f.login(user{email: a.email, password: "brand new password"})
		if me := f.req("GET", "/api/users/me", nil, bearer(c.access)...); me.json()["email_verified"] != true {
			t.Fatalf("after a reset: got %s, want the address verified", me.body)
		}
		f.last(3, "ada@example.com", "password was changed")
		wantCode(t, f.req("POST", "/api/auth/password-reset/confirm", map[string]string{"token": tok, "new_password": "another new password"}),
			http.StatusBadRequest, "token_used")
		noSecrets(t, f.api, tok, code)
	})
}

func TestFlows_PasswordResetByCode(t *testing.T) {
	f := newFlows(t, storetest.OpenSQLite(t), apiOptions{})
	a := f.register("ada@example.com")
	wantStatus(t, f.req("POST", "/api/auth/password-reset", map[string]string{"email": a.email}), http.StatusAccepted)
	_, code := secrets(t, f.last(2, a.email, "Reset your"), mail.PathResetPassword)
	wantStatus(t, f.req("POST", "/api/auth/password-reset/confirm", map[string]string{
		"email": a.email, "code": code, "new_password": "brand new password",
	}), http.StatusOK)
	f.login(user{email: a.email, password: "brand new password"})
}

// comparable is what a response shows a caller: status, body and every header but those that
// differ per request by design (Date, X-Request-ID).
func comparable(r reply) string {
	h := r.header.Clone()
	h.Del("Date")
	h.Del("X-Request-ID")
	var b strings.Builder
	h.Write(&b)
	return http.StatusText(r.status) + "\n" + b.String() + "\n" + string(r.body)
}

// enumeration checks that path answers the same for an address with an account and one
// without, and logs the mean time of each over many samples (measured, never asserted).
func enumeration(t *testing.T, path string) {
	storetest.Each(t, func(t *testing.T, st *store.Store) { enumerationOn(t, st, path) })
}

func enumerationOn(t *testing.T, st *store.Store, path string) {
	f := newFlows(t, st, apiOptions{})
	f.register("ada@example.com")
	known := f.req("POST", path, map[string]string{"email": "ada@example.com"})
	unknown := f.req("POST", path, map[string]string{"email": "nobody@example.com"})
	wantStatus(t, known, http.StatusAccepted)
	if k, u := comparable(known), comparable(unknown); k != u {
		t.Fatalf("known address:\n%s\nunknown address:\n%s", k, u)
	}
	const samples = 200
	var dk, du time.Duration
	for i := range samples * 2 {
		// Each pair alternates which goes first, so that the background work a known address
		// causes weighs on both alike.
		isKnown := (i%2 == 0) == ((i/2)%2 == 0)
		email := "nobody@example.com"
		if isKnown {
			email = "ada@example.com"
		}
		start := time.Now()
		f.req("POST", path, map[string]string{"email": email})
		if isKnown {
			dk += time.Since(start)
		} else {
			du += time.Since(start)
		}
	}
	t.Logf("%s over %d samples each: known %v, unknown %v, mean difference %v",
		path, samples, dk/samples, du/samples, (dk-du)/samples)
}

func TestFlows_PasswordResetEnumeration(t *testing.T) { enumeration(t, "/api/auth/password-reset") }

func TestFlows_ResendEnumeration(t *testing.T) { enumeration(t, "/api/auth/verify-email/resend") }

func TestFlows_EmailChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFlows(t, st, apiOptions{})
		a := f.register("ada@example.com")
		f.register("grace@example.com")
		change := func(to, pw string) reply {
			return f.req("POST", "/api/users/me/email", map[string]string{"new_email": to, "password": pw}, bearer(a.access)...)
		}
		wantCode(t, change("ada@new.example", "wrong password"), http.StatusBadRequest, "incorrect_password")
		wantCode(t, change("ADA@example.com", a.password), http.StatusBadRequest, "email_unchanged")

		// Asking for an address another account has is accepted; confirming it is refused.
		wantStatus(t, change("grace@example.com", a.password), http.StatusAccepted)
		tok, _ := secrets(t, f.last(4, "grace@example.com", "Confirm your new email"), mail.PathConfirmEmail)
		wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"token": tok}), http.StatusBadRequest, "email_taken")

		wantStatus(t, change("ada@new.example", a.password), http.StatusAccepted)
		tok, _ = secrets(t, f.last(6, "ada@new.example", "Confirm your new email"), mail.PathConfirmEmail)
		notice := f.last(6, "ada@example.com", "being changed")
		if !strings.Contains(notice.Text, "ada@new.example") || !strings.Contains(notice.Text, mail.PathReportEmail+"#token=") {
			t.Fatalf("notice to the old address:\n%s", notice.Text)
		}
		f.req("GET", mail.PathConfirmEmail, nil)
		wantStatus(t, f.req("POST", "/api/auth/verify-email", map[string]string{"token": tok}), http.StatusOK)
		me := f.req("GET", "/api/users/me", nil, bearer(a.access)...)
		if m := me.json(); m["email"] != "ada@new.example" || m["email_verified"] != true {
			t.Fatalf("after the change: got %s", me.body)
		}
		f.login(user{email: "ada@new.example", password: a.password})
		wantStatus(t, f.req("POST", "/api/auth/token", url.Values{"username": {"ada@example.com"}, "password": {a.password}}), http.StatusUnauthorized)
	})
}

func TestFlows_EmailChangeReported(t *testing.T) {
	f := newFlows(t, storetest.OpenSQLite(t), apiOptions{})
	a := f.register("ada@example.com")
	wantStatus(t, f.req("POST", "/api/users/me/email", map[string]string{"new_email": "mallory@example.com", "password": a.password}, bearer(a.access)...), http.StatusAccepted)
	change, _ := secrets(t, f.last(3, "mallory@example.com", "Confirm your new email"), mail.PathConfirmEmail)
	report, _ := secrets(t, f.last(3, "ada@example.com", "being changed"), mail.PathReportEmail)
	wantStatus(t, f.req("POST", "/api/auth/email-change/report", map[string]string{"token": report}), http.StatusOK)
	wantCode(t, f.req("POST", "/api/auth/verify-email", map[string]string{"token": change}), http.StatusBadRequest, "invalid_token")
}

func TestFlows_PasswordChangedNotice(t *testing.T) {
	f := newFlows(t, storetest.OpenSQLite(t), apiOptions{})
	a := f.register("ada@example.com")
	wantStatus(t, f.req("POST", "/api/users/me/password", map[string]string{
		"current_password": a.password, "new_password": "brand new password",
	}, bearer(a.access)...), http.StatusNoContent)
	f.last(2, "ada@example.com", "password was changed")
}

// TestFlows_NewDeviceNotice: with device tokens in use, the account's first sign-in (right
// after registering) is told of nothing, a later one from a client without the account's
// device token is, naming the client, and one with the token is not.
func TestFlows_NewDeviceNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFlows(t, st, apiOptions{limits: &testLimits{guard: guard.DefaultLimits()}, trusted: loopback})
		a := f.register("ada@example.com")
		if got := f.mails(1); len(got) != 1 {
			t.Fatalf("after registering and the first sign-in: got %d mails, want only the verification", len(got))
		}

		const agent, ip = "Firefox/140.0 (new-device test)", "198.51.100.23"
		r := f.req("POST", "/api/auth/token", url.Values{"username": {a.email}, "password": {a.password}},
			append(xff(ip), "User-Agent", agent)...)
		wantStatus(t, r, http.StatusOK)
		device, _ := r.json()["device_token"].(string)
		if device == "" {
			t.Fatalf("the password grant returned no device_token: %s", r.body)
		}
		m := f.last(2, a.email, "New sign-in to your")
		if !strings.Contains(m.Text, agent) || !strings.Contains(m.Text, ip) {
			t.Fatalf("the notice does not name the client (%q, %s):\n%s", agent, ip, m.Text)
		}
		for _, secret := range []string{a.password, device, a.access, a.refresh} {
			if strings.Contains(m.Text, secret) || strings.Contains(m.HTML, secret) || strings.Contains(string(m.Raw), secret) {
				t.Fatal("a secret is in the notice")
			}
		}

		// The device that holds the account's token is known: no notice.
		wantStatus(t, f.req("POST", "/api/auth/token", url.Values{"username": {a.email}, "password": {a.password}, "device_token": {device}},
			append(xff(ip), "User-Agent", agent)...), http.StatusOK)
		if got := f.mails(2); len(got) != 2 {
			t.Fatalf("after a sign-in with the device token: got %d mails, want 2", len(got))
		}
		noSecrets(t, f.api, a.password, device)
	})
}

// TestFlows_NewDeviceNoticeOff: GATEHOUSE_SECURITY_NOTICES=false sends no new-device notice.
func TestFlows_NewDeviceNoticeOff(t *testing.T) {
	f := newFlows(t, storetest.OpenSQLite(t), apiOptions{limits: &testLimits{guard: guard.DefaultLimits()}, noNotices: true})
	a := f.register("ada@example.com")
	f.login(a)
	f.login(a)
	if got := f.mails(1); len(got) != 1 {
		t.Fatalf("with notices off: got %d mails, want only the verification", len(got))
	}
}

// noSecrets fails if a token or code appears in the server's logs.
func noSecrets(t *testing.T, a *api, secrets ...string) {
	t.Helper()
	logs := a.logs.String()
	for _, s := range secrets {
		if s != "" && (strings.Contains(logs, s) || strings.Contains(logs, url.QueryEscape(s))) {
			t.Fatalf("a secret is in the logs:\n%s", logs)
		}
	}
}

// TestFlows_TokenRace spends one token from many requests at once: exactly one succeeds and
// the others hear token_used.
func TestFlows_TokenRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFlows(t, st, apiOptions{})
		a := f.register("ada@example.com")
		wantStatus(t, f.req("POST", "/api/auth/password-reset", map[string]string{"email": a.email}), http.StatusAccepted)
		tok, _ := secrets(t, f.last(2, a.email, "Reset your"), mail.PathResetPassword)
		const n = 8
		statuses := make(chan reply, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				statuses <- f.req("POST", "/api/auth/password-reset/confirm", map[string]string{
					"token": tok, "new_password": fmt.Sprintf("new password %d", i),
				})
			})
		}
		wg.Wait()
		close(statuses)
		ok := 0
		for r := range statuses {
			switch {
			case r.status == http.StatusOK:
				ok++
			case r.json()["code"] != "token_used":
				t.Errorf("got %d %s, want 200 or token_used", r.status, r.body)
			}
		}
		if ok != 1 {
			t.Fatalf("got %d successful resets, want 1", ok)
		}
	})
}

func TestFlows_PrivateRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFlows(t, st, apiOptions{email: auth.EmailOptions{PrivateRegistration: true}})
		reg := func(email string) reply {
			return f.req("POST", "/api/auth/register", map[string]string{
				"email": email, "first_name": "Ada", "last_name": "Lovelace", "password": "violet-kayak-mercury-19",
			})
		}
		fresh := reg("ada@example.com")
		taken := reg("ADA@example.com")
		wantStatus(t, fresh, http.StatusCreated)
		if a, b := comparable(fresh), comparable(taken); a != b {
			t.Fatalf("new address:\n%s\ntaken address:\n%s", a, b)
		}
		attempt := f.last(2, "ada@example.com", "Someone tried")
		if !strings.Contains(attempt.Text, "http://gatehouse.test"+mail.PathForgotPassword) {
			t.Fatalf("the attempt mail lacks the reset link:\n%s", attempt.Text)
		}
		// The new account must verify before it signs in.
		wantCode(t, f.req("POST", "/api/auth/token", url.Values{"username": {"ada@example.com"}, "password": {"violet-kayak-mercury-19"}}),
			http.StatusForbidden, "email_not_verified")

		const samples = 30
		var dn, dt time.Duration
		for i := range samples {
			start := time.Now()
			reg(fmt.Sprintf("new%d@example.com", i))
			dn += time.Since(start)
			start = time.Now()
			reg("ada@example.com")
			dt += time.Since(start)
		}
		t.Logf("register over %d samples each: new %v, taken %v, mean difference %v", samples, dn/samples, dt/samples, (dn-dt)/samples)
	})
}

// A token or code longer than the document's maxLength is refused as invalid input (422, the
// field named) before any lookup; one at the limit is looked up and simply not found.
func TestFlows_TokenInputMaxLength(t *testing.T) {
	f := newFlows(t, storetest.OpenSQLite(t), apiOptions{})
	pw := "violet-kayak-mercury-19"
	long, atLimit := strings.Repeat("t", 201), strings.Repeat("t", 200)
	for _, tc := range []struct {
		name, path string
		body       map[string]string
		status     int
		field      string // the 422's field; "" for a 400
	}{
		{"verify token too long", "/api/auth/verify-email", map[string]string{"token": long}, 422, "token"},
		{"verify token at the limit", "/api/auth/verify-email", map[string]string{"token": atLimit}, 400, ""},
		{"verify code too long", "/api/auth/verify-email", map[string]string{"email": "ada@example.com", "code": "123456789"}, 422, "code"},
		{"verify code at the limit", "/api/auth/verify-email", map[string]string{"email": "ada@example.com", "code": "12345678"}, 400, ""},
		{"reset token too long", "/api/auth/password-reset/confirm", map[string]string{"token": long, "new_password": pw}, 422, "token"},
		{"reset code too long", "/api/auth/password-reset/confirm", map[string]string{"email": "ada@example.com", "code": "123456789", "new_password": pw}, 422, "code"},
		{"reset token at the limit", "/api/auth/password-reset/confirm", map[string]string{"token": atLimit, "new_password": pw}, 400, ""},
		{"report token too long", "/api/auth/email-change/report", map[string]string{"token": long}, 422, "token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.req("POST", tc.path, tc.body)
			wantStatus(t, r, tc.status)
			if tc.field == "" {
				return
			}
			var body struct {
				Detail []struct {
					Loc  []string `json:"loc"`
					Msg  string   `json:"msg"`
					Type string   `json:"type"`
				} `json:"detail"`
			}
			if err := json.Unmarshal(r.body, &body); err != nil || len(body.Detail) != 1 {
				t.Fatalf("got %s, want one FastAPI field error", r.body)
			}
			d := body.Detail[0]
			if !slices.Equal(d.Loc, []string{"body", tc.field}) || d.Type != "value_error.any_str.max_length" || d.Msg == "" {
				t.Fatalf("got %+v, want loc [body %s] and type value_error.any_str.max_length", d, tc.field)
			}
		})
	}
}
