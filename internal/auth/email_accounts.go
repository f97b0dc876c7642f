package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// MaxEmailAccounts bounds how many mailboxes one user may connect, so one account cannot
// grow without limit. It is a guard, not an invariant: adds racing at the limit may each pass
// it, and nothing breaks when they do.
const MaxEmailAccounts = 50

// ErrTooManyEmailAccounts is returned when a user already has MaxEmailAccounts.
var ErrTooManyEmailAccounts = &Error{Code: "too_many_email_accounts", Message: fmt.Sprintf("You can connect at most %d email accounts", MaxEmailAccounts)}

// EmailAccountInput is a mailbox to connect.
type EmailAccountInput struct {
	EmailAddress string   `json:"email_address" format:"email" maxLength:"254" example:"ada@work.example"`
	Provider     Provider `json:"provider" enum:"gmail,outlook,imap,other"`
	DisplayName  string   `json:"display_name,omitempty" maxLength:"100" doc:"A label to tell accounts apart; optional." example:"Work"`
}

// RenameInput is an email account's new label; empty clears it.
type RenameInput struct {
	DisplayName string `json:"display_name" maxLength:"100" example:"Personal"`
}

// Validate reports every invalid field of in, judged as AddEmailAccount judges them.
func (in EmailAccountInput) Validate() error {
	var c checker
	c.email("email_address", normalizeEmail(in.EmailAddress))
	c.provider("provider", in.Provider)
	c.text("display_name", strings.TrimSpace(in.DisplayName), true)
	return c.err()
}

// Validate reports whether the label is acceptable.
func (in RenameInput) Validate() error {
	var c checker
	c.text("display_name", strings.TrimSpace(in.DisplayName), true)
	return c.err()
}

// EmailAccounts returns p's user's connected accounts, oldest first.
func (s *Service) EmailAccounts(ctx context.Context, p Principal) ([]EmailAccount, error) {
	list, err := s.store.ListEmailAccounts(ctx, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("email accounts: %w", err)
	}
	return list, nil
}

// AddEmailAccount connects a mailbox. It returns ErrEmailAccountExists if the user has it
// already (the database's unique index decides).
func (s *Service) AddEmailAccount(ctx context.Context, p Principal, in EmailAccountInput) (*EmailAccount, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	in.EmailAddress = normalizeEmail(in.EmailAddress)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	existing, err := s.EmailAccounts(ctx, p)
	if err != nil {
		return nil, err
	}
	if len(existing) >= MaxEmailAccounts {
		return nil, ErrTooManyEmailAccounts
	}
	now := s.now()
	a := &EmailAccount{
		ID: uuid.New(), UserID: p.UserID, EmailAddress: in.EmailAddress, Provider: in.Provider,
		DisplayName: in.DisplayName, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateEmailAccount(ctx, a); err != nil {
		return nil, fmt.Errorf("add email account: %w", err)
	}
	return a, nil
}

// RenameEmailAccount changes an account's label. It returns ErrEmailAccountNotFound if p's
// user has no such account.
func (s *Service) RenameEmailAccount(ctx context.Context, p Principal, id uuid.UUID, in RenameInput) (*EmailAccount, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	a, err := s.store.FindEmailAccount(ctx, p.UserID, id)
	if err != nil {
		return nil, fmt.Errorf("rename email account: %w", err)
	}
	a.DisplayName, a.UpdatedAt = in.DisplayName, s.now()
	if err := s.store.UpdateEmailAccount(ctx, a); err != nil {
		return nil, fmt.Errorf("rename email account: %w", err)
	}
	return a, nil
}

// RemoveEmailAccount disconnects a mailbox. It returns ErrEmailAccountNotFound if p's user has
// no such account.
func (s *Service) RemoveEmailAccount(ctx context.Context, p Principal, id uuid.UUID) error {
	if err := s.store.DeleteEmailAccount(ctx, p.UserID, id); err != nil {
		return fmt.Errorf("remove email account: %w", err)
	}
	return nil
}
