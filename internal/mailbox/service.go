package mailbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// Options is what a Service is built from.
type Options struct {
	Store Store
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Service carries out what users ask of their connected mailboxes; every rule about them
// lives here.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service.
func NewService(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{
		store: o.Store,
		// Microseconds: what both databases keep, so a response says what a later read says.
		now: func() time.Time { return o.Now().UTC().Truncate(time.Microsecond) },
	}
}

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

// typeEnum is FastAPI's type for a value outside its enumeration.
const typeEnum = "type_error.enum"

// Validate reports every invalid field of in, judged as Add judges them: the address by
// auth's email grammar and the label by its rules for display text, so a mailbox and an
// account are held to one standard.
func (in EmailAccountInput) Validate() error {
	var c auth.Checker
	c.Email("email_address", auth.NormalizeEmail(in.EmailAddress))
	if !validProvider(in.Provider) {
		c.Add("provider", "value is not a valid enumeration member; permitted: 'gmail', 'outlook', 'imap', 'other'", typeEnum)
	}
	c.Text("display_name", strings.TrimSpace(in.DisplayName), true)
	return c.Err()
}

// Validate reports whether the label is acceptable.
func (in RenameInput) Validate() error {
	var c auth.Checker
	c.Text("display_name", strings.TrimSpace(in.DisplayName), true)
	return c.Err()
}

func validProvider(p Provider) bool {
	for _, ok := range Providers {
		if p == ok {
			return true
		}
	}
	return false
}

// List returns p's user's connected accounts, oldest first.
func (s *Service) List(ctx context.Context, p auth.Principal) ([]EmailAccount, error) {
	list, err := s.store.ListEmailAccounts(ctx, p.UserID)
	if err != nil {
		return nil, fmt.Errorf("email accounts: %w", err)
	}
	return list, nil
}

// Add connects a mailbox. The address is stored normalised as auth normalises emails, so
// Ada@Work.example and ada@work.example are one mailbox. It returns ErrEmailAccountExists if
// the user has it already (the database's unique index decides), ErrTooManyEmailAccounts if
// the user has MaxEmailAccounts, and auth.ErrUserNotFound if the user is gone.
func (s *Service) Add(ctx context.Context, p auth.Principal, in EmailAccountInput) (*EmailAccount, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	in.EmailAddress = auth.NormalizeEmail(in.EmailAddress)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	existing, err := s.List(ctx, p)
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

// Rename changes an account's label. It returns ErrEmailAccountNotFound if p's user has no
// such account.
func (s *Service) Rename(ctx context.Context, p auth.Principal, id uuid.UUID, in RenameInput) (*EmailAccount, error) {
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

// Remove disconnects a mailbox. It returns ErrEmailAccountNotFound if p's user has no such
// account.
func (s *Service) Remove(ctx context.Context, p auth.Principal, id uuid.UUID) error {
	if err := s.store.DeleteEmailAccount(ctx, p.UserID, id); err != nil {
		return fmt.Errorf("remove email account: %w", err)
	}
	return nil
}
