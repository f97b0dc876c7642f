package mailbox

import (
	"context"

	"github.com/google/uuid"
)

// Store keeps the email accounts users connect. Implementations must be safe for concurrent
// use and must let the database, not a read before a write, enforce uniqueness. Every method
// is scoped to one user: another user's account is reported as ErrEmailAccountNotFound.
type Store interface {
	// ListEmailAccounts returns the user's accounts, oldest first.
	ListEmailAccounts(ctx context.Context, userID uuid.UUID) ([]EmailAccount, error)
	// CreateEmailAccount inserts a. It returns ErrEmailAccountExists if the user has already
	// connected a.EmailAddress (decided by a unique index), and auth.ErrUserNotFound if the
	// user is gone.
	CreateEmailAccount(ctx context.Context, a *EmailAccount) error
	// FindEmailAccount returns ErrEmailAccountNotFound if the user has no such account.
	FindEmailAccount(ctx context.Context, userID, id uuid.UUID) (*EmailAccount, error)
	// UpdateEmailAccount saves a.DisplayName and a.UpdatedAt. It returns
	// ErrEmailAccountNotFound if a.UserID has no account a.ID.
	UpdateEmailAccount(ctx context.Context, a *EmailAccount) error
	// DeleteEmailAccount returns ErrEmailAccountNotFound if the user has no such account.
	DeleteEmailAccount(ctx context.Context, userID, id uuid.UUID) error
}
