package mailbox_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mailbox"
)

func TestService_AddListRenameRemove(t *testing.T) {
	t.Parallel()
	e := newService(t)
	p := e.user(t, "ada@example.com")
	e.wantAccounts(t, p)
	work, err := e.svc.Add(t.Context(), p, mailbox.EmailAccountInput{
		EmailAddress: "  Ada@Work.EXAMPLE ", Provider: mailbox.ProviderOutlook, DisplayName: "  Work ",
	})
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	if work.EmailAddress != "ada@work.example" || work.DisplayName != "Work" || work.UserID != p.UserID {
		t.Errorf("got (%q, %q, user %s), want (ada@work.example, Work, user %s)", work.EmailAddress, work.DisplayName, work.UserID, p.UserID)
	}
	if !work.CreatedAt.Equal(e.clock.Now()) || !work.UpdatedAt.Equal(e.clock.Now()) {
		t.Errorf("times: got created %v, updated %v, want both %v", work.CreatedAt, work.UpdatedAt, e.clock.Now())
	}
	e.clock.Advance(time.Second)
	e.add(t, p, "ada@home.example")
	e.wantAccounts(t, p, "ada@work.example outlook Work", "ada@home.example gmail")

	e.clock.Advance(time.Second)
	renamed, err := e.svc.Rename(t.Context(), p, work.ID, mailbox.RenameInput{DisplayName: " Office "})
	if err != nil {
		t.Fatalf("Rename: %v", err)
	}
	if renamed.DisplayName != "Office" || !renamed.UpdatedAt.Equal(e.clock.Now()) || !renamed.CreatedAt.Equal(work.CreatedAt) {
		t.Errorf("renamed: got %+v, want display name Office, updated now, created as before", renamed)
	}
	e.wantAccounts(t, p, "ada@work.example outlook Office", "ada@home.example gmail")
	if _, err := e.svc.Rename(t.Context(), p, work.ID, mailbox.RenameInput{DisplayName: "  "}); err != nil {
		t.Fatalf("Rename to blank: %v", err)
	}
	e.wantAccounts(t, p, "ada@work.example outlook", "ada@home.example gmail")

	if err := e.svc.Remove(t.Context(), p, work.ID); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	e.wantAccounts(t, p, "ada@home.example gmail")
	wantErr(t, "Remove again", e.svc.Remove(t.Context(), p, work.ID), mailbox.ErrEmailAccountNotFound)
	_, err = e.svc.Rename(t.Context(), p, work.ID, mailbox.RenameInput{DisplayName: "x"})
	wantErr(t, "Rename of a removed account", err, mailbox.ErrEmailAccountNotFound)
}

func TestService_Add(t *testing.T) {
	t.Parallel()
	t.Run("Duplicate", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		p := e.user(t, "ada@example.com")
		e.add(t, p, "ada@work.example")
		_, err := e.svc.Add(t.Context(), p, mailbox.EmailAccountInput{EmailAddress: " ADA@work.example", Provider: mailbox.ProviderIMAP})
		wantErr(t, "Add of the same address", err, mailbox.ErrEmailAccountExists)
		e.wantAccounts(t, p, "ada@work.example gmail")
		e.add(t, e.user(t, "grace@example.com"), "ada@work.example") // another user may connect it too
	})
	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		p := e.user(t, "ada@example.com")
		for _, tc := range []struct {
			name string
			in   mailbox.EmailAccountInput
			want []string
		}{
			{"Provider", mailbox.EmailAccountInput{EmailAddress: "a@b.example", Provider: "yahoo"}, []string{"provider type_error.enum"}},
			{"ProviderCase", mailbox.EmailAccountInput{EmailAddress: "a@b.example", Provider: "Gmail"}, []string{"provider type_error.enum"}},
			{"NoProvider", mailbox.EmailAccountInput{EmailAddress: "a@b.example"}, []string{"provider type_error.enum"}},
			{"Email", mailbox.EmailAccountInput{EmailAddress: "ada at work", Provider: mailbox.ProviderIMAP}, []string{"email_address value_error.email"}},
			{"NoEmail", mailbox.EmailAccountInput{Provider: mailbox.ProviderIMAP}, []string{"email_address value_error.email"}},
			{"DisplayName101", mailbox.EmailAccountInput{EmailAddress: "a@b.example", Provider: mailbox.ProviderOther, DisplayName: strings.Repeat("w", 101)}, []string{"display_name value_error.any_str.max_length"}},
			{"DisplayNameControl", mailbox.EmailAccountInput{EmailAddress: "a@b.example", Provider: mailbox.ProviderOther, DisplayName: "Wo\x00rk"}, []string{"display_name value_error.str.control_characters"}},
			{"All", mailbox.EmailAccountInput{EmailAddress: "@", Provider: "pop3", DisplayName: strings.Repeat("w", 101)}, []string{
				"email_address value_error.email", "provider type_error.enum", "display_name value_error.any_str.max_length",
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Add(t.Context(), p, tc.in)
				wantFields(t, err, tc.want...)
				if err := tc.in.Validate(); err == nil {
					t.Error("Validate: got nil, want the error Add returns")
				}
			})
		}
		e.wantAccounts(t, p)
		for _, provider := range mailbox.Providers {
			if _, err := e.svc.Add(t.Context(), p, mailbox.EmailAccountInput{EmailAddress: string(provider) + "@b.example", Provider: provider}); err != nil {
				t.Errorf("Add with provider %q: got %v, want nil", provider, err)
			}
		}
	})
	t.Run("Limit", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		p := e.user(t, "ada@example.com")
		var first *mailbox.EmailAccount
		for i := range mailbox.MaxEmailAccounts {
			a := e.add(t, p, fmt.Sprintf("box%d@example.com", i))
			if i == 0 {
				first = a
			}
		}
		_, err := e.svc.Add(t.Context(), p, mailbox.EmailAccountInput{EmailAddress: "one.more@example.com", Provider: mailbox.ProviderGmail})
		wantErr(t, fmt.Sprintf("Add number %d", mailbox.MaxEmailAccounts+1), err, mailbox.ErrTooManyEmailAccounts)
		if err := e.svc.Remove(t.Context(), p, first.ID); err != nil {
			t.Fatalf("Remove: %v", err)
		}
		e.add(t, p, "one.more@example.com")
	})
	t.Run("UserGone", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		p := e.user(t, "ada@example.com")
		e.deleteUser(t, p)
		_, err := e.svc.Add(t.Context(), p, mailbox.EmailAccountInput{EmailAddress: "ada@work.example", Provider: mailbox.ProviderGmail})
		wantErr(t, "Add for a deleted user", err, auth.ErrUserNotFound)
	})
}

func TestService_Rename_Invalid(t *testing.T) {
	t.Parallel()
	e := newService(t)
	p := e.user(t, "ada@example.com")
	a := e.add(t, p, "a@b.example")
	_, err := e.svc.Rename(t.Context(), p, a.ID, mailbox.RenameInput{DisplayName: strings.Repeat("w", 101)})
	wantFields(t, err, "display_name value_error.any_str.max_length")
	_, err = e.svc.Rename(t.Context(), p, a.ID, mailbox.RenameInput{DisplayName: "\u202eevil"})
	wantFields(t, err, "display_name value_error.str.control_characters")
	if _, err := e.svc.Rename(t.Context(), p, a.ID, mailbox.RenameInput{DisplayName: strings.Repeat("w", 100)}); err != nil {
		t.Errorf("Rename to 100 characters: got %v, want nil", err)
	}
}

func TestService_AnotherUsersAccount(t *testing.T) {
	t.Parallel()
	e := newService(t)
	ada := e.user(t, "ada@example.com")
	a := e.add(t, ada, "ada@work.example")
	grace := e.user(t, "grace@example.com")

	_, err := e.svc.Rename(t.Context(), grace, a.ID, mailbox.RenameInput{DisplayName: "Mine now"})
	wantErr(t, "Rename", err, mailbox.ErrEmailAccountNotFound)
	wantErr(t, "Remove", e.svc.Remove(t.Context(), grace, a.ID), mailbox.ErrEmailAccountNotFound)
	wantErr(t, "Remove unknown", e.svc.Remove(t.Context(), ada, uuid.New()), mailbox.ErrEmailAccountNotFound)
	e.wantAccounts(t, grace)
	e.wantAccounts(t, ada, "ada@work.example gmail")
}

// A user's mailboxes go with the user: nothing is left to list, or to collide with, if the
// same id ever came back.
func TestService_AccountsGoWithTheUser(t *testing.T) {
	t.Parallel()
	e := newService(t)
	p := e.user(t, "ada@example.com")
	e.add(t, p, "ada@work.example")
	keep := e.user(t, "grace@example.com")
	e.add(t, keep, "ada@work.example")
	e.deleteUser(t, p)
	e.wantAccounts(t, p)
	e.wantAccounts(t, keep, "ada@work.example gmail")
}

// The errors keep the codes and messages the API has always answered with, and are auth's
// error type, so the HTTP edge translates them with every other domain error.
func TestErrors_Contract(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err           error
		code, message string
	}{
		{mailbox.ErrEmailAccountNotFound, "email_account_not_found", "Email account not found"},
		{mailbox.ErrEmailAccountExists, "email_account_exists", "This email account is already connected"},
		{mailbox.ErrTooManyEmailAccounts, "too_many_email_accounts", "You can connect at most 50 email accounts"},
	} {
		var ae *auth.Error
		if !errors.As(tc.err, &ae) || ae.Code != tc.code || ae.Message != tc.message {
			t.Errorf("got %#v, want an *auth.Error {%q, %q}", tc.err, tc.code, tc.message)
		}
	}
}
