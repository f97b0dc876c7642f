package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
)

func TestService_Me(t *testing.T) {
	t.Parallel()
	e := newService(t)
	tok := e.signUp(t)
	u, err := e.svc.Me(t.Context(), principal(tok))
	if err != nil {
		t.Fatalf("Me: %v", err)
	}
	if u.ID != tok.UserID || u.Email != testEmail {
		t.Errorf("got %s (%s), want %s (%s)", u.ID, u.Email, tok.UserID, testEmail)
	}
}

func TestService_UpdateProfile(t *testing.T) {
	t.Parallel()
	t.Run("Trims", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		e.clock.Advance(time.Hour)
		u, err := e.svc.UpdateProfile(t.Context(), principal(tok), auth.ProfileInput{FirstName: "  Augusta ", LastName: "\tKing\n"})
		if err != nil {
			t.Fatalf("UpdateProfile: %v", err)
		}
		if u.FirstName != "Augusta" || u.LastName != "King" || !u.UpdatedAt.Equal(e.clock.Now()) {
			t.Errorf("got (%q, %q, updated %s), want (%q, %q, updated %s)", u.FirstName, u.LastName, u.UpdatedAt, "Augusta", "King", e.clock.Now())
		}
		stored := mustUser(t, e, testEmail)
		if stored.FirstName != "Augusta" || stored.LastName != "King" || stored.Email != testEmail {
			t.Errorf("stored: got (%q, %q, %q), want (Augusta, King, %s)", stored.FirstName, stored.LastName, stored.Email, testEmail)
		}
		e.login(t, testEmail, testPassword)
	})
	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		for _, tc := range []struct {
			name, first, last string
			want              []string
		}{
			{"Empty", "", "King", []string{"first_name value_error.any_str.min_length"}},
			{"WhitespaceOnly", "Augusta", "   ", []string{"last_name value_error.any_str.min_length"}},
			{"101Chars", "Augusta", strings.Repeat("k", 101), []string{"last_name value_error.any_str.max_length"}},
			{"ControlCharacter", "Au\agusta", "King", []string{"first_name value_error.str.control_characters"}},
			{"Both", " ", strings.Repeat("k", 101), []string{"first_name value_error.any_str.min_length", "last_name value_error.any_str.max_length"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.UpdateProfile(t.Context(), principal(tok), auth.ProfileInput{FirstName: tc.first, LastName: tc.last})
				wantFields(t, err, tc.want...)
			})
		}
		if u := mustUser(t, e, testEmail); u.FirstName != "Ada" || u.LastName != "Lovelace" {
			t.Errorf("after refused updates: got (%q, %q), want (Ada, Lovelace)", u.FirstName, u.LastName)
		}
	})
}

func TestService_ChangePassword(t *testing.T) {
	t.Parallel()
	const newPassword = "a brand new passphrase"
	t.Run("IncorrectCurrent", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		err := e.svc.ChangePassword(t.Context(), principal(tok), auth.ChangePasswordInput{CurrentPassword: "not it at all", NewPassword: newPassword})
		wantErr(t, "ChangePassword", err, auth.ErrIncorrectPassword)
		e.login(t, testEmail, testPassword)
	})
	t.Run("Success", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		cur := e.signUp(t)
		other := e.login(t, testEmail, testPassword)
		err := e.svc.ChangePassword(t.Context(), principal(cur), auth.ChangePasswordInput{CurrentPassword: testPassword, NewPassword: newPassword})
		if err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		_, err = e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{})
		wantErr(t, "Login with the old password", err, auth.ErrInvalidCredentials)
		e.login(t, testEmail, newPassword)
		e.wantNotAuthenticated(t, other.AccessToken)
		e.wantRefreshRefused(t, other.RefreshToken)
		e.wantAuthenticated(t, cur)
		e.refresh(t, cur.RefreshToken)
	})
	t.Run("InvalidNew", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		for _, tc := range []struct{ name, pw, want string }{
			{"7Chars", "1234567", "new_password value_error.password.too_short"},
			{"Common", "password", "new_password value_error.password.common"},
			{"Personal", "ada.lovelace", "new_password value_error.password.personal"},
			{"73Bytes", strings.Repeat("€", 24) + "a", "new_password value_error.password.too_long"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := e.svc.ChangePassword(t.Context(), principal(tok), auth.ChangePasswordInput{CurrentPassword: testPassword, NewPassword: tc.pw})
				wantFields(t, err, tc.want)
			})
		}
		e.login(t, testEmail, testPassword)
	})
}

func TestService_DeleteAccount(t *testing.T) {
	t.Parallel()
	t.Run("IncorrectPassword", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		err := e.svc.DeleteAccount(t.Context(), principal(tok), auth.DeleteAccountInput{Password: "not it at all"})
		wantErr(t, "DeleteAccount", err, auth.ErrIncorrectPassword)
		e.wantAuthenticated(t, tok)
	})
	t.Run("PasswordPastBcryptLimit", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		pw := strongPassword72
		e.register(t, testEmail, pw)
		tok := e.login(t, testEmail, pw)
		err := e.svc.DeleteAccount(t.Context(), principal(tok), auth.DeleteAccountInput{Password: pw + "p"})
		wantErr(t, "DeleteAccount with 72 bytes plus one", err, auth.ErrIncorrectPassword)
		e.wantAuthenticated(t, tok)
	})
	t.Run("Success", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		tok := e.signUp(t)
		other := e.login(t, testEmail, testPassword)
		p := principal(tok)
		if err := e.svc.DeleteAccount(t.Context(), p, auth.DeleteAccountInput{Password: testPassword}); err != nil {
			t.Fatalf("DeleteAccount: %v", err)
		}
		e.wantNotAuthenticated(t, tok.AccessToken)
		e.wantNotAuthenticated(t, other.AccessToken)
		_, err := e.svc.Login(t.Context(), testEmail, testPassword, auth.Client{})
		wantErr(t, "Login", err, auth.ErrInvalidCredentials)
		// A request authenticated just before the deletion reads as signed out, not as a 404.
		_, err = e.svc.Me(t.Context(), p)
		wantErr(t, "Me", err, auth.ErrNotAuthenticated)
		if u := e.register(t, testEmail, "another password"); u.ID == tok.UserID {
			t.Errorf("registered again: got the deleted user's id %s, want a new one", u.ID)
		}
		e.login(t, testEmail, "another password")
	})
}
