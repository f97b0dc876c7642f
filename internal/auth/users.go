package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Me returns p's user: the one Authenticate read with the session, or else from the store.
func (s *Service) Me(ctx context.Context, p Principal) (*User, error) {
	if p.user != nil && p.user.ID == p.UserID {
		u := *p.user // a copy: callers may change it, and p may be used again
		return &u, nil
	}
	u, err := s.store.FindUserByID(ctx, p.UserID)
	if errors.Is(err, ErrUserNotFound) {
		return nil, ErrNotAuthenticated // deleted since the request was authenticated
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	return u, nil
}

// ProfileInput is what a user may change about themselves.
type ProfileInput struct {
	FirstName string `json:"first_name" minLength:"1" maxLength:"100" example:"Ada"`
	LastName  string `json:"last_name" minLength:"1" maxLength:"100" example:"Lovelace"`
}

// Validate reports every invalid field of in, judged as UpdateProfile judges them.
func (in ProfileInput) Validate() error {
	var c checker
	c.text("first_name", strings.TrimSpace(in.FirstName), false)
	c.text("last_name", strings.TrimSpace(in.LastName), false)
	return c.err()
}

// UpdateProfile changes p's user's names and returns the updated user.
func (s *Service) UpdateProfile(ctx context.Context, p Principal, in ProfileInput) (*User, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	in.FirstName, in.LastName = strings.TrimSpace(in.FirstName), strings.TrimSpace(in.LastName)
	u, err := s.Me(ctx, p)
	if err != nil {
		return nil, err
	}
	u.FirstName, u.LastName, u.UpdatedAt = in.FirstName, in.LastName, s.now()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("update profile: %w", err)
	}
	return u, nil
}

// ChangePasswordInput is a password change: the current password proves it is the user.
type ChangePasswordInput struct {
	CurrentPassword string `json:"current_password" format:"password"`
	NewPassword     string `json:"new_password" format:"password" minLength:"8" doc:"At least min_length characters (8 unless the operator changed it; see GET /api/auth/password-policy) and at most 72 bytes; judged by the password policy with the account's email and names."`
}

// Validate reports what is wrong with the new password whatever the policy's settings (too
// many bytes, NUL); ChangePassword applies the policy itself.
func (in ChangePasswordInput) Validate() error {
	var c checker
	c.password("new_password", in.NewPassword)
	return c.err()
}

// ChangePassword sets a new password and signs out every other device, since whoever knew
// the old password may be signed in there. It returns a validation error (field
// new_password) if the password policy refuses the new password, ErrBreachCheckUnavailable if
// its breach check failed closed, ErrIncorrectPassword if the current password is wrong, and
// ErrCredentialsChanged, having changed nothing, if another password change landed after this
// one verified the current password.
func (s *Service) ChangePassword(ctx context.Context, p Principal, in ChangePasswordInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	me, err := s.Me(ctx, p)
	if err != nil {
		return err
	}
	// The policy before the current password: a refused password costs no bcrypt work.
	if err := s.checkNewPassword(ctx, s.policy, "new_password", in.NewPassword, accountOf(me)); err != nil {
		return err
	}
	u, err := s.confirmPassword(ctx, p, in.CurrentPassword)
	if err != nil {
		return err
	}
	hash, err := s.hash(ctx, in.NewPassword)
	if err != nil {
		return err
	}
	// Conditional on the stamp read with the password just verified: of two changes that
	// verified the same current password, one wins and the other is told it lost, rather than
	// both hearing success while only one new password works.
	if err := s.store.ChangePassword(ctx, p.UserID, u.SecurityStamp, hash, s.now(), p.SessionID); err != nil {
		return fmt.Errorf("set new password: %w", err)
	}
	s.log.InfoContext(ctx, "password changed; other sessions revoked", "user_id", p.UserID)
	s.notifyPasswordChanged(ctx, u)
	return nil
}

// DeleteAccountInput confirms an account deletion.
type DeleteAccountInput struct {
	Password string `json:"password" format:"password"`
}

// DeleteAccount deletes p's user and everything theirs (sessions, and what other domains keep
// of them, such as connected mailboxes); the email is free to register again. It returns
// ErrIncorrectPassword if the password is wrong, and ErrCredentialsChanged, having deleted
// nothing, if the password changed after this request verified it: a password change signs
// out whoever knew the old one, and a deletion they had already confirmed must not outlive it.
func (s *Service) DeleteAccount(ctx context.Context, p Principal, in DeleteAccountInput) error {
	u, err := s.confirmPassword(ctx, p, in.Password)
	if err != nil {
		return err
	}
	if err := s.store.DeleteUser(ctx, p.UserID, u.SecurityStamp); err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	s.log.InfoContext(ctx, "account deleted", "user_id", p.UserID)
	return nil
}

// confirmPassword returns p's user if password is theirs, or ErrIncorrectPassword.
func (s *Service) confirmPassword(ctx context.Context, p Principal, password string) (*User, error) {
	u, err := s.Me(ctx, p)
	if err != nil {
		return nil, err
	}
	ok, err := s.verify(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("verify password of user %s: %w", u.ID, err)
	}
	if !ok {
		return nil, ErrIncorrectPassword
	}
	return u, nil
}
