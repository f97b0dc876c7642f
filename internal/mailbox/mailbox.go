// Package mailbox holds the email accounts users connect (the article's User.email_accounts):
// which mailboxes a user has, their providers and labels, and the rules for adding, renaming
// and removing them. It is a product of its own beside identity: it knows who a request acts
// for (auth.Principal) and answers in auth's one error type, but nothing of passwords,
// sessions, HTTP or SQL.
package mailbox

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// Provider is the kind of mailbox an email account is.
type Provider string

// The providers an email account may have.
const (
	ProviderGmail   Provider = "gmail"
	ProviderOutlook Provider = "outlook"
	ProviderIMAP    Provider = "imap"
	ProviderOther   Provider = "other"
)

// Providers lists every valid Provider, in the order a form offers them.
var Providers = []Provider{ProviderGmail, ProviderOutlook, ProviderIMAP, ProviderOther}

// EmailAccount is a mailbox a user has connected. It belongs to exactly one user and goes when
// that user goes.
type EmailAccount struct {
	ID           uuid.UUID
	UserID       uuid.UUID
	EmailAddress string
	Provider     Provider
	DisplayName  string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MaxEmailAccounts bounds how many mailboxes one user may connect, so one account cannot
// grow without limit. It is a guard, not an invariant: adds racing at the limit may each pass
// it, and nothing breaks when they do.
const MaxEmailAccounts = 50

// The errors the service returns. They are *auth.Error, the project's one error type, so the
// HTTP edge translates them in the one place it translates every domain error; their codes and
// messages are part of the API contract and never change.
var (
	ErrEmailAccountNotFound = &auth.Error{Code: "email_account_not_found", Message: "Email account not found"}
	ErrEmailAccountExists   = &auth.Error{Code: "email_account_exists", Message: "This email account is already connected"}
	// ErrTooManyEmailAccounts is returned when a user already has MaxEmailAccounts.
	ErrTooManyEmailAccounts = &auth.Error{Code: "too_many_email_accounts", Message: fmt.Sprintf("You can connect at most %d email accounts", MaxEmailAccounts)}
)
