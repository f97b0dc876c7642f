package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/mail"
)

// ChangeEmailInput asks to move the account to a new address; the password proves it is the
// user.
type ChangeEmailInput struct {
	NewEmail string `json:"new_email" format:"email" maxLength:"254" example:"ada@newmail.example"`
	Password string `json:"password" format:"password"`
}

// RequestEmailChange sends a confirmation to in.NewEmail and, when notices are on, a notice to
// the current address with a link to report that it was not its owner (which cancels the
// change). Nothing changes until the confirmation is used (VerifyEmail); whether the new
// address is free is decided then, by the unique index, so this call does not tell whether
// another account has it. It returns ErrIncorrectPassword for a wrong password and
// ErrEmailUnchanged for the current address.
func (s *Service) RequestEmailChange(ctx context.Context, p Principal, in ChangeEmailInput) error {
	newEmail := normalizeEmail(in.NewEmail)
	var c checker
	c.email("new_email", newEmail)
	if err := c.err(); err != nil {
		return err
	}
	u, err := s.confirmPassword(ctx, p, in.Password)
	if err != nil {
		return err
	}
	if newEmail == u.Email {
		return ErrEmailUnchanged
	}
	now := s.now()
	t, sec, err := newEmailToken(u, PurposeEmailChange, newEmail, now, s.email.ChangeTTL)
	if err != nil {
		return err
	}
	m, err := s.email.Mail.EmailChange(newEmail, mail.EmailChange{
		Name: u.FirstName, NewEmail: newEmail, Token: sec.token, Code: sec.code, ValidFor: s.email.ChangeTTL,
	})
	if err != nil {
		return err
	}
	if err := s.store.IssueEmailToken(ctx, t, now, m); err != nil {
		return fmt.Errorf("request email change: %w", err)
	}
	if s.email.Notices {
		// The report token lives as long as the change it can cancel, and is bound to the
		// old address, which its mail goes to.
		rt, rsec, err := newEmailToken(u, PurposeEmailChangeReport, u.Email, now, s.email.ChangeTTL)
		if err != nil {
			return err
		}
		notice, err := s.email.Mail.EmailChangeNotice(u.Email, mail.EmailChangeNotice{
			Name: u.FirstName, NewEmail: newEmail, ReportToken: rsec.token,
		})
		if err != nil {
			return err
		}
		if err := s.store.IssueEmailToken(ctx, rt, now, notice); err != nil {
			return fmt.Errorf("request email change: %w", err)
		}
	}
	s.log.InfoContext(ctx, "email change requested", "user_id", u.ID)
	return nil
}

// applyEmailChange spends a change token: the account's address becomes t.Email, verified,
// and the security stamp moves. It returns ErrEmailTaken if another account has the address
// by now.
func (s *Service) applyEmailChange(ctx context.Context, t *EmailToken) error {
	u, err := s.userOf(ctx, t.UserID)
	if err != nil {
		return err
	}
	err = s.store.UseEmailToken(ctx, t, TokenUse{FromEmail: u.Email}, s.now())
	if err != nil {
		return fmt.Errorf("change email: %w", err)
	}
	s.log.InfoContext(ctx, "email changed", "user_id", u.ID)
	return nil
}

// ReportEmailChange is the old address's answer to a change it did not ask for: it spends the
// notice's report token and cancels every pending change of the account. The account's owner
// should then change their password, which the page says.
func (s *Service) ReportEmailChange(ctx context.Context, in TokenInput) error {
	if in.Token == "" {
		var c checker
		c.add("token", "field required", typeMissing)
		return c.err()
	}
	t, err := s.findToken(ctx, TokenInput{Token: in.Token}, PurposeEmailChangeReport)
	if err != nil {
		return err
	}
	if err := s.store.UseEmailToken(ctx, t, TokenUse{}, s.now()); err != nil && !errors.Is(err, ErrInvalidToken) {
		return fmt.Errorf("report email change: %w", err)
	}
	s.log.WarnContext(ctx, "email change reported as not the owner's; pending changes cancelled", "user_id", t.UserID)
	return nil
}
