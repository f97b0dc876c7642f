package auth_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// addAccount connects address as a gmail account or fails the test.
func (e *env) addAccount(t *testing.T, p auth.Principal, address string) *auth.EmailAccount {
	t.Helper()
	a, err := e.svc.AddEmailAccount(t.Context(), p, auth.EmailAccountInput{EmailAddress: address, Provider: auth.ProviderGmail})
	if err != nil {
		t.Fatalf("AddEmailAccount(%q): %v", address, err)
	}
	return a
}

// accountAddresses lists p's accounts as "address provider display name" lines.
func accountAddresses(t *testing.T, e *env, p auth.Principal) []string {
	t.Helper()
	list, err := e.svc.EmailAccounts(t.Context(), p)
	if err != nil {
		t.Fatalf("EmailAccounts: %v", err)
	}
	var out []string
	for _, a := range list {
		if a.UserID != p.UserID {
			t.Errorf("EmailAccounts: got an account of user %s, want only %s's", a.UserID, p.UserID)
		}
		out = append(out, strings.TrimSpace(fmt.Sprintf("%s %s %s", a.EmailAddress, a.Provider, a.DisplayName)))
	}
	return out
}

func wantAccounts(t *testing.T, e *env, p auth.Principal, want ...string) {
	t.Helper()
	got := accountAddresses(t, e, p)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("EmailAccounts: got %q, want %q", got, want)
	}
}

func TestService_EmailAccounts(t *testing.T) {
	t.Parallel()
	t.Run("AddListRenameRemove", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		p := principal(e.signUp(t))
		wantAccounts(t, e, p)
		work, err := e.svc.AddEmailAccount(t.Context(), p, auth.EmailAccountInput{
			EmailAddress: "  Ada@Work.EXAMPLE ", Provider: auth.ProviderOutlook, DisplayName: "  Work ",
		})
		if err != nil {
			t.Fatalf("AddEmailAccount: %v", err)
		}
		if work.EmailAddress != "ada@work.example" || work.DisplayName != "Work" || work.UserID != p.UserID {
			t.Errorf("got (%q, %q, user %s), want (ada@work.example, Work, user %s)", work.EmailAddress, work.DisplayName, work.UserID, p.UserID)
		}
		e.clock.Advance(time.Second)
		e.addAccount(t, p, "ada@home.example")
		wantAccounts(t, e, p, "ada@work.example outlook Work", "ada@home.example gmail")

		e.clock.Advance(time.Second)
		renamed, err := e.svc.RenameEmailAccount(t.Context(), p, work.ID, auth.RenameInput{DisplayName: " Office "})
		if err != nil {
			t.Fatalf("RenameEmailAccount: %v", err)
		}
		if renamed.DisplayName != "Office" || !renamed.UpdatedAt.Equal(e.clock.Now()) || !renamed.CreatedAt.Equal(work.CreatedAt) {
			t.Errorf("renamed: got %+v, want display name Office, updated now, created as before", renamed)
		}
		wantAccounts(t, e, p, "ada@work.example outlook Office", "ada@home.example gmail")
		if _, err := e.svc.RenameEmailAccount(t.Context(), p, work.ID, auth.RenameInput{DisplayName: "  "}); err != nil {
			t.Fatalf("RenameEmailAccount to blank: %v", err)
		}
		wantAccounts(t, e, p, "ada@work.example outlook", "ada@home.example gmail")

		if err := e.svc.RemoveEmailAccount(t.Context(), p, work.ID); err != nil {
			t.Fatalf("RemoveEmailAccount: %v", err)
		}
		wantAccounts(t, e, p, "ada@home.example gmail")
		wantErr(t, "RemoveEmailAccount again", e.svc.RemoveEmailAccount(t.Context(), p, work.ID), auth.ErrEmailAccountNotFound)
		_, err = e.svc.RenameEmailAccount(t.Context(), p, work.ID, auth.RenameInput{DisplayName: "x"})
		wantErr(t, "RenameEmailAccount of a removed account", err, auth.ErrEmailAccountNotFound)
	})
	t.Run("Duplicate", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		p := principal(e.signUp(t))
		e.addAccount(t, p, "ada@work.example")
		_, err := e.svc.AddEmailAccount(t.Context(), p, auth.EmailAccountInput{EmailAddress: " ADA@work.example", Provider: auth.ProviderIMAP})
		wantErr(t, "AddEmailAccount of the same address", err, auth.ErrEmailAccountExists)
		wantAccounts(t, e, p, "ada@work.example gmail")

		e.register(t, "grace@example.com", testPassword)
		grace := principal(e.login(t, "grace@example.com", testPassword))
		e.addAccount(t, grace, "ada@work.example")
	})
	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		p := principal(e.signUp(t))
		for _, tc := range []struct {
			name string
			in   auth.EmailAccountInput
			want []string
		}{
			{"Provider", auth.EmailAccountInput{EmailAddress: "a@b.example", Provider: "yahoo"}, []string{"provider type_error.enum"}},
			{"ProviderCase", auth.EmailAccountInput{EmailAddress: "a@b.example", Provider: "Gmail"}, []string{"provider type_error.enum"}},
			{"NoProvider", auth.EmailAccountInput{EmailAddress: "a@b.example"}, []string{"provider type_error.enum"}},
			{"Email", auth.EmailAccountInput{EmailAddress: "ada at work", Provider: auth.ProviderIMAP}, []string{"email_address value_error.email"}},
			{"NoEmail", auth.EmailAccountInput{Provider: auth.ProviderIMAP}, []string{"email_address value_error.email"}},
			{"DisplayName101", auth.EmailAccountInput{EmailAddress: "a@b.example", Provider: auth.ProviderOther, DisplayName: strings.Repeat("w", 101)}, []string{"display_name value_error.any_str.max_length"}},
			{"DisplayNameControl", auth.EmailAccountInput{EmailAddress: "a@b.example", Provider: auth.ProviderOther, DisplayName: "Wo\x00rk"}, []string{"display_name value_error.str.control_characters"}},
			{"All", auth.EmailAccountInput{EmailAddress: "@", Provider: "pop3", DisplayName: strings.Repeat("w", 101)}, []string{
				"email_address value_error.email", "provider type_error.enum", "display_name value_error.any_str.max_length",
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.AddEmailAccount(t.Context(), p, tc.in)
				wantFields(t, err, tc.want...)
			})
		}
		wantAccounts(t, e, p)
		a := e.addAccount(t, p, "a@b.example")
		_, err := e.svc.RenameEmailAccount(t.Context(), p, a.ID, auth.RenameInput{DisplayName: strings.Repeat("w", 101)})
		wantFields(t, err, "display_name value_error.any_str.max_length")
		if _, err := e.svc.RenameEmailAccount(t.Context(), p, a.ID, auth.RenameInput{DisplayName: strings.Repeat("w", 100)}); err != nil {
			t.Errorf("RenameEmailAccount to 100 characters: got %v, want nil", err)
		}
	})
	t.Run("AnotherUsersAccount", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		ada := principal(e.signUp(t))
		a := e.addAccount(t, ada, "ada@work.example")
		e.register(t, "grace@example.com", testPassword)
		grace := principal(e.login(t, "grace@example.com", testPassword))

		_, err := e.svc.RenameEmailAccount(t.Context(), grace, a.ID, auth.RenameInput{DisplayName: "Mine now"})
		wantErr(t, "RenameEmailAccount", err, auth.ErrEmailAccountNotFound)
		wantErr(t, "RemoveEmailAccount", e.svc.RemoveEmailAccount(t.Context(), grace, a.ID), auth.ErrEmailAccountNotFound)
		wantErr(t, "RemoveEmailAccount unknown", e.svc.RemoveEmailAccount(t.Context(), ada, uuid.New()), auth.ErrEmailAccountNotFound)
		wantAccounts(t, e, grace)
		wantAccounts(t, e, ada, "ada@work.example gmail")
	})
	t.Run("Limit", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		p := principal(e.signUp(t))
		var first *auth.EmailAccount
		for i := range auth.MaxEmailAccounts {
			a := e.addAccount(t, p, fmt.Sprintf("box%d@example.com", i))
			if i == 0 {
				first = a
			}
		}
		_, err := e.svc.AddEmailAccount(t.Context(), p, auth.EmailAccountInput{EmailAddress: "one.more@example.com", Provider: auth.ProviderGmail})
		wantErr(t, fmt.Sprintf("AddEmailAccount number %d", auth.MaxEmailAccounts+1), err, auth.ErrTooManyEmailAccounts)
		if err := e.svc.RemoveEmailAccount(t.Context(), p, first.ID); err != nil {
			t.Fatalf("RemoveEmailAccount: %v", err)
		}
		e.addAccount(t, p, "one.more@example.com")
	})
}
