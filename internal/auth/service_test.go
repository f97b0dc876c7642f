package auth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/auth"
)

func TestService_Register(t *testing.T) {
	t.Parallel()
	t.Run("Normalises", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		u, err := e.svc.Register(t.Context(), auth.RegisterInput{
			Email: "  Ada@Example.COM ", FirstName: " Ada\t", LastName: "\u00a0Lovelace ", Password: testPassword,
		})
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		if u.Email != testEmail || u.FirstName != "Ada" || u.LastName != "Lovelace" {
			t.Errorf("got (%q, %q, %q), want (%q, %q, %q)", u.Email, u.FirstName, u.LastName, testEmail, "Ada", "Lovelace")
		}
		stored, err := e.store.FindUserByEmail(t.Context(), testEmail)
		if err != nil {
			t.Fatalf("FindUserByEmail(%q): %v", testEmail, err)
		}
		if stored.ID != u.ID {
			t.Errorf("stored user: got %s, want %s", stored.ID, u.ID)
		}
		if ok, _ := bcryptAt(t, 4).Verify(stored.PasswordHash, testPassword); !ok || stored.PasswordHash == testPassword {
			t.Errorf("stored hash %q does not verify the password", stored.PasswordHash)
		}
	})
	t.Run("EmailTaken", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		e.register(t, "  Ada@Example.COM ", testPassword)
		for _, email := range []string{testEmail, "ADA@EXAMPLE.COM", " ada@example.com"} {
			_, err := e.svc.Register(t.Context(), auth.RegisterInput{
				Email: email, FirstName: "Other", LastName: "Person", Password: "another password",
			})
			wantErr(t, fmt.Sprintf("Register(%q)", email), err, auth.ErrEmailTaken)
		}
	})
	t.Run("Email", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		for _, tc := range []struct {
			email string
			ok    bool
		}{
			{"grace@example.com", true},
			{"grace.hopper@navy.example.mil", true},
			{"grace+tag@example.com", true},
			{"o'brien@example.ie", true},
			{"x@sub-domain.example.co.uk", true},
			{"käthe@bücher.example", true},
			{"", false},
			{"   ", false},
			{"grace", false},
			{"grace@", false},
			{"@example.com", false},
			{"grace@example", false},
			{"grace@@example.com", false},
			{"grace hopper@example.com", false},
			{"grace.@example.com", false},
			{"grace@-example.com", false},
			{"grace@example.123", false},
			{strings.Repeat("g", 65) + "@example.com", false},
		} {
			t.Run(tc.email, func(t *testing.T) {
				_, err := e.svc.Register(t.Context(), auth.RegisterInput{
					Email: tc.email, FirstName: "Grace", LastName: "Hopper", Password: testPassword,
				})
				if !tc.ok {
					wantFields(t, err, "email value_error.email")
				} else if err != nil {
					t.Errorf("got %v, want nil", err)
				}
			})
		}
	})
	t.Run("Names", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		for _, tc := range []struct {
			name, first, last string
			want              []string
		}{
			{"Empty", "", "Lovelace", []string{"first_name value_error.any_str.min_length"}},
			{"WhitespaceOnly", "Ada", " \t\u00a0 ", []string{"last_name value_error.any_str.min_length"}},
			{"101Chars", strings.Repeat("a", 101), "Lovelace", []string{"first_name value_error.any_str.max_length"}},
			{"ControlCharacter", "Ada", "Love\x00lace", []string{"last_name value_error.str.control_characters"}},
			{"Escape", "A\x1b[31mda", "Lovelace", []string{"first_name value_error.str.control_characters"}},
			{"BothEmpty", "", "", []string{"first_name value_error.any_str.min_length", "last_name value_error.any_str.min_length"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Register(t.Context(), auth.RegisterInput{
					Email: testEmail, FirstName: tc.first, LastName: tc.last, Password: testPassword,
				})
				wantFields(t, err, tc.want...)
			})
		}
		t.Run("100RunesOK", func(t *testing.T) {
			name := strings.Repeat("é", 100)
			u, err := e.svc.Register(t.Context(), auth.RegisterInput{
				Email: "é@example.com", FirstName: name, LastName: "Ł", Password: testPassword,
			})
			if err != nil {
				t.Fatalf("Register with a 100-rune name: got %v, want nil", err)
			}
			if u.FirstName != name {
				t.Errorf("FirstName: got %q, want %q", u.FirstName, name)
			}
		})
	})
	t.Run("Password", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		for i, tc := range []struct {
			name, password string
			want           string // "" for accepted
		}{
			{"7Chars", "1234567", "password value_error.password.too_short"},
			{"7Runes", "ééééééé", "password value_error.password.too_short"},
			{"Empty", "", "password value_error.password.too_short"},
			{"8Digits", "12345678", "password value_error.password.common"},
			{"Weak", "monkeybanana", "password value_error.password.weak"},
			{"NameAndYear", "Lovelace1815", "password value_error.password.personal"},
			{"10Random", "kX9$vR4&pL", ""},
			{"72Bytes", strongPassword72, ""},
			{"73BytesMultiByte", strings.Repeat("é", 36) + "a", "password value_error.password.too_long"},
			{"73BytesASCII", strings.Repeat("a", 73), "password value_error.password.too_long"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				email := fmt.Sprintf("pw%d@example.com", i)
				_, err := e.svc.Register(t.Context(), auth.RegisterInput{
					Email: email, FirstName: "Ada", LastName: "Lovelace", Password: tc.password,
				})
				if tc.want != "" {
					wantFields(t, err, tc.want)
					return
				}
				if err != nil {
					t.Fatalf("Register: got %v, want nil", err)
				}
				e.login(t, email, tc.password)
			})
		}
	})
	t.Run("SeveralInvalidFields", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		_, err := e.svc.Register(t.Context(), auth.RegisterInput{
			Email: "not an email", FirstName: " ", LastName: strings.Repeat("x", 101), Password: "short",
		})
		wantFields(t, err,
			"email value_error.email",
			"first_name value_error.any_str.min_length",
			"last_name value_error.any_str.max_length",
			"password value_error.password.too_short")
		if _, err := e.store.FindUserByEmail(t.Context(), "not an email"); !errors.Is(err, auth.ErrUserNotFound) {
			t.Errorf("FindUserByEmail after a refused Register: got %v, want ErrUserNotFound", err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		const n = 30
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, errs[i] = e.svc.Register(context.Background(), auth.RegisterInput{
					Email: testEmail, FirstName: "Ada", LastName: fmt.Sprint(i), Password: testPassword,
				})
			})
		}
		wg.Wait()
		ok, taken := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, auth.ErrEmailTaken):
				taken++
			default:
				t.Errorf("Register: got %v, want nil or ErrEmailTaken", err)
			}
		}
		if ok != 1 || taken != n-1 {
			t.Errorf("got %d successes and %d ErrEmailTaken, want 1 and %d", ok, taken, n-1)
		}
	})
}

func TestService_Login(t *testing.T) {
	t.Parallel()
	t.Run("Success", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		u := e.register(t, testEmail, testPassword)
		tok, err := e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{IP: "198.51.100.7", UserAgent: "Firefox"})
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		if tok.UserID != u.ID || tok.AccessToken == "" || tok.RefreshToken == "" || tok.ExpiresIn != accessTTL {
			t.Errorf("got %+v, want tokens for user %s expiring in %s", tok, u.ID, accessTTL)
		}
		e.wantAuthenticated(t, tok)
		sess, err := e.store.FindSession(t.Context(), tok.SessionID)
		if err != nil {
			t.Fatalf("FindSession: %v", err)
		}
		now := e.clock.Now()
		if sess.UserID != u.ID || sess.IP != "198.51.100.7" || sess.UserAgent != "Firefox" ||
			!sess.CreatedAt.Equal(now) || !sess.LastUsedAt.Equal(now) || !sess.ExpiresAt.Equal(now.Add(refreshTTL)) {
			t.Errorf("session: got %+v, want user %s from 198.51.100.7 (Firefox), used now, expiring in %s", sess, u.ID, refreshTTL)
		}
	})
	t.Run("EachLoginIsASession", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		a := e.signUp(t)
		b := e.login(t, testEmail, testPassword)
		if a.SessionID == b.SessionID || a.RefreshToken == b.RefreshToken || a.AccessToken == b.AccessToken {
			t.Errorf("two sign-ins share a session or a token: %+v and %+v", a, b)
		}
	})
	t.Run("InvalidCredentials", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		e.register(t, testEmail, testPassword)
		for _, tc := range []struct{ name, email, password string }{
			{"WrongPassword", testEmail, testPassword + "!"},
			{"EmptyPassword", testEmail, ""},
			{"PasswordOfOtherCase", testEmail, strings.ToUpper(testPassword)},
			{"UnknownEmail", "nobody@example.com", testPassword},
			{"EmptyEmail", "", testPassword},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Login(t.Context(), tc.email, tc.password, auth.Client{})
				wantErr(t, "Login", err, auth.ErrInvalidCredentials)
			})
		}
		if list, err := e.store.ListSessions(t.Context(), mustUser(t, e, testEmail).ID, e.clock.Now()); err != nil || len(list) != 0 {
			t.Errorf("sessions after failed sign-ins: got %d (%v), want 0", len(list), err)
		}
	})
	t.Run("PasswordPastBcryptLimit", func(t *testing.T) {
		// bcrypt reads 72 bytes: a longer password sharing them must not sign in.
		e := newService(t)
		pw := strongPassword72
		e.register(t, testEmail, pw)
		_, err := e.svc.Login(t.Context(), testEmail, pw+"anything", auth.Client{})
		wantErr(t, "Login with 72 bytes plus more", err, auth.ErrInvalidCredentials)
	})
	t.Run("EmailCaseInsensitive", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		u := e.register(t, testEmail, testPassword)
		for _, email := range []string{"ADA@EXAMPLE.COM", "  Ada@Example.Com\t"} {
			if tok := e.login(t, email, testPassword); tok.UserID != u.ID {
				t.Errorf("Login(%q): got user %s, want %s", email, tok.UserID, u.ID)
			}
		}
	})
	t.Run("Rehash", func(t *testing.T) {
		t.Parallel()
		old := newService(t, withCost(t, 5))
		old.register(t, testEmail, testPassword)
		if cost := hashCost(t, old, testEmail); cost != 5 {
			t.Fatalf("cost before: got %d, want 5", cost)
		}
		e := newService(t, withStore(old.store))
		e.login(t, testEmail, testPassword)
		if cost := hashCost(t, e, testEmail); cost != 4 {
			t.Errorf("cost after sign-in: got %d, want 4", cost)
		}
		if ok, err := bcryptAt(t, 4).Verify(mustUser(t, e, testEmail).PasswordHash, testPassword); !ok || err != nil {
			t.Errorf("rehashed password verifies: got (%v, %v), want (true, nil)", ok, err)
		}
		e.login(t, testEmail, testPassword)
	})
	t.Run("UserAgentTruncated", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		e.register(t, testEmail, testPassword)
		ua := "a" + strings.Repeat("é", 300)
		tok, err := e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{UserAgent: ua})
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		sess, err := e.store.FindSession(t.Context(), tok.SessionID)
		if err != nil {
			t.Fatalf("FindSession: %v", err)
		}
		if len(sess.UserAgent) > 512 || !utf8.ValidString(sess.UserAgent) || !strings.HasPrefix(ua, sess.UserAgent) {
			t.Errorf("user agent: got %d bytes (valid UTF-8 %v), want a valid prefix of at most 512", len(sess.UserAgent), utf8.ValidString(sess.UserAgent))
		}
	})
}

func TestService_Authenticate(t *testing.T) {
	t.Parallel()
	t.Run("Garbage", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		other := newService(t).signUp(t)
		for _, s := range []string{
			"", "garbage", "a.b.c", tok.RefreshToken,
			tok.AccessToken + "x",
			tok.AccessToken[:strings.LastIndexByte(tok.AccessToken, '.')+1],
			other.AccessToken, // signed by another keyring
		} {
			e.wantNotAuthenticated(t, s)
		}
	})
	t.Run("SessionRevoked", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		if err := e.svc.RevokeSession(t.Context(), principal(tok), tok.SessionID); err != nil {
			t.Fatalf("RevokeSession: %v", err)
		}
		e.wantNotAuthenticated(t, tok.AccessToken)
	})
	t.Run("UserDeleted", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		if err := e.store.DeleteUser(t.Context(), tok.UserID, mustUser(t, e, testEmail).SecurityStamp); err != nil {
			t.Fatalf("DeleteUser: %v", err)
		}
		e.wantNotAuthenticated(t, tok.AccessToken)
	})
	t.Run("Expired", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		e.clock.Advance(accessTTL - time.Second)
		e.wantAuthenticated(t, tok)
		// Past expiry and the verifier's 30 s leeway for clock skew.
		e.clock.Advance(time.Second + 31*time.Second)
		e.wantNotAuthenticated(t, tok.AccessToken)
	})
	t.Run("SessionExpired", func(t *testing.T) {
		t.Parallel()
		e := newService(t, func(o *auth.Options) { o.RefreshTTL = time.Minute })
		tok := e.signUp(t)
		e.clock.Advance(time.Minute)
		e.wantNotAuthenticated(t, tok.AccessToken)
	})
}

// TestService_NoSecretsInLogs runs every operation and checks that no log record holds a
// password or a token, in its message or any attr.
func TestService_NoSecretsInLogs(t *testing.T) {
	t.Parallel()
	e := newService(t)
	ctx := t.Context()
	newPassword := "a brand new passphrase"
	secrets := []string{testPassword, newPassword, "wrong password 123"}
	keep := func(tok auth.Tokens) auth.Tokens {
		_, verifier, _ := strings.Cut(tok.RefreshToken, ".")
		secrets = append(secrets, tok.AccessToken, tok.RefreshToken, verifier)
		return tok
	}

	e.register(t, testEmail, testPassword)
	if _, err := e.svc.Login(ctx, testEmail, "wrong password 123", auth.Client{}); !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("Login with a wrong password: got %v, want ErrInvalidCredentials", err)
	}
	first := keep(e.login(t, testEmail, testPassword))
	keep(e.refresh(t, first.RefreshToken))
	keep(e.refresh(t, first.RefreshToken)) // again, within the grace
	e.clock.Advance(time.Minute)
	if _, err := e.svc.Refresh(ctx, first.RefreshToken, auth.Client{}); !errors.Is(err, auth.ErrInvalidRefreshToken) {
		t.Fatalf("Refresh reused: got %v, want ErrInvalidRefreshToken", err)
	}
	cur := keep(e.login(t, testEmail, testPassword))
	other := keep(e.login(t, testEmail, testPassword))
	p := principal(cur)
	if err := e.svc.ChangePassword(ctx, p, auth.ChangePasswordInput{CurrentPassword: testPassword, NewPassword: newPassword}); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if _, err := e.svc.UpdateProfile(ctx, p, auth.ProfileInput{FirstName: "Augusta", LastName: "King"}); err != nil {
		t.Fatalf("UpdateProfile: %v", err)
	}
	if _, err := e.svc.RevokeOtherSessions(ctx, p); err != nil {
		t.Fatalf("RevokeOtherSessions: %v", err)
	}
	if err := e.svc.Logout(ctx, other.RefreshToken); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	cur = keep(e.refresh(t, cur.RefreshToken))
	if err := e.svc.Logout(ctx, cur.RefreshToken); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	cur = keep(e.login(t, testEmail, newPassword))
	if err := e.svc.DeleteAccount(ctx, principal(cur), auth.DeleteAccountInput{Password: newPassword}); err != nil {
		t.Fatalf("DeleteAccount: %v", err)
	}

	records := e.logs.all()
	if len(records) < 5 {
		t.Fatalf("got %d log records, want the flow to log at least 5", len(records))
	}
	for _, r := range records {
		for _, s := range secrets {
			if strings.Contains(r.Text, s) {
				t.Errorf("log record %q holds a secret %.12q…", r.Message, s)
			}
		}
	}
}

func BenchmarkService_Register(b *testing.B) {
	for _, cost := range []int{10, 12} {
		b.Run(fmt.Sprintf("cost=%d", cost), func(b *testing.B) {
			e := newService(b, withCost(b, cost))
			i := 0
			for b.Loop() {
				i++
				_, err := e.svc.Register(b.Context(), auth.RegisterInput{
					Email: fmt.Sprintf("user%d@example.com", i), FirstName: "Ada", LastName: "Lovelace", Password: testPassword,
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkService_Login(b *testing.B) {
	for _, cost := range []int{10, 12} {
		b.Run(fmt.Sprintf("cost=%d", cost), func(b *testing.B) {
			e := newService(b, withCost(b, cost))
			_, err := e.svc.Register(b.Context(), auth.RegisterInput{
				Email: testEmail, FirstName: "Ada", LastName: "Lovelace", Password: testPassword,
			})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := e.svc.Login(b.Context(), testEmail, testPassword, auth.Client{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
