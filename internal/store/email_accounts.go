package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mailbox"
)

const emailAccountColumns = `id, user_id, email_address, provider, display_name, created_at, updated_at`

// Every query below names the user as well as the account, so one user can never read or
// change another's account: it is simply not found.

// ListEmailAccounts returns the user's accounts, oldest first.
func (s *Store) ListEmailAccounts(ctx context.Context, userID uuid.UUID) ([]mailbox.EmailAccount, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT `+emailAccountColumns+` FROM email_accounts
		WHERE user_id = $1
		ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list email accounts: %w", err)
	}
	defer rows.Close()
	list := []mailbox.EmailAccount{}
	for rows.Next() {
		var a mailbox.EmailAccount
		if err := scanEmailAccount(rows, &a); err != nil {
			return nil, fmt.Errorf("list email accounts: %w", err)
		}
		list = append(list, a)
	}
	return list, wrap("list email accounts", rows.Err())
}

// CreateEmailAccount inserts a. It returns mailbox.ErrEmailAccountExists if the user has already
// connected a.EmailAddress, decided by the unique index on (user_id, email_address), and
// auth.ErrUserNotFound if a.UserID names no user.
func (s *Store) CreateEmailAccount(ctx context.Context, a *mailbox.EmailAccount) error {
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO email_accounts (`+emailAccountColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (user_id, email_address) DO NOTHING`,
		a.ID, a.UserID, a.EmailAddress, string(a.Provider), a.DisplayName,
		timeValue{a.CreatedAt}, timeValue{a.UpdatedAt})
	if isForeignKeyViolation(err) {
		return auth.ErrUserNotFound
	}
	return wrap("create email account", expectOne(res, err, mailbox.ErrEmailAccountExists))
}

// FindEmailAccount returns mailbox.ErrEmailAccountNotFound if the user has no such account.
func (s *Store) FindEmailAccount(ctx context.Context, userID, id uuid.UUID) (*mailbox.EmailAccount, error) {
	var a mailbox.EmailAccount
	err := scanEmailAccount(s.db.QueryRowContext(ctx, `
		SELECT `+emailAccountColumns+` FROM email_accounts
		WHERE id = $1 AND user_id = $2`, id, userID), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, mailbox.ErrEmailAccountNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find email account: %w", err)
	}
	return &a, nil
}

func scanEmailAccount(row scanner, a *mailbox.EmailAccount) error {
	return row.Scan(&a.ID, &a.UserID, &a.EmailAddress, &a.Provider, &a.DisplayName,
		timeScan{&a.CreatedAt}, timeScan{&a.UpdatedAt})
}

// UpdateEmailAccount saves a.DisplayName and a.UpdatedAt. It returns
// mailbox.ErrEmailAccountNotFound if a.UserID has no account a.ID.
func (s *Store) UpdateEmailAccount(ctx context.Context, a *mailbox.EmailAccount) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE email_accounts SET display_name = $1, updated_at = $2
		WHERE id = $3 AND user_id = $4`,
		a.DisplayName, timeValue{a.UpdatedAt}, a.ID, a.UserID)
	return wrap("update email account", expectOne(res, err, mailbox.ErrEmailAccountNotFound))
}

// DeleteEmailAccount returns mailbox.ErrEmailAccountNotFound if the user has no such account.
func (s *Store) DeleteEmailAccount(ctx context.Context, userID, id uuid.UUID) error {
	res, err := s.db.ExecContext(ctx,
		`DELETE FROM email_accounts WHERE id = $1 AND user_id = $2`, id, userID)
	return wrap("delete email account", expectOne(res, err, mailbox.ErrEmailAccountNotFound))
}
