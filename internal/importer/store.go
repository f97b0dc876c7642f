package importer

import (
	"context"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mailbox"
)

// User is one user as the import writes it, with its connected mailboxes. The user's
// SecurityStamp is made by the store.
type User struct {
	auth.User
	Accounts []mailbox.EmailAccount
}

// Outcome is what happened to one User of a batch.
type Outcome int

// The outcomes of ImportUsers.
const (
	// Inserted: the user and its accounts were written (or would be, in a dry run).
	Inserted Outcome = iota
	// Exists: a user with this id is already there (an earlier run imported it); nothing
	// was written.
	Exists
	// EmailTaken: another user (another id) already has this email; nothing was written.
	EmailTaken
)

// Store is what the import writes to (internal/store's Store).
type Store interface {
	// ImportUsers inserts users and their email accounts in one transaction, so a batch that
	// fails leaves none of its users, and no user without its accounts. A user whose id or
	// email is already taken is left as it is, and its accounts are not written; the outcome
	// of each user is returned in order. With dryRun the transaction is rolled back, so the
	// outcomes are exact and nothing is written.
	ImportUsers(ctx context.Context, users []User, dryRun bool) ([]Outcome, error)
}
