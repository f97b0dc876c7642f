package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/mail"
)

// createUser inserts u with its first verification token and queues the verification mail,
// all in one transaction: an account never exists without the mail that verifies it.
func (s *Service) createUser(ctx context.Context, u *User) error {
	now := u.CreatedAt
	t, sec, err := newEmailToken(u, PurposeVerifyEmail, u.Email, now, s.email.VerifyTTL)
	if err != nil {
		return err
	}
	m, err := s.email.Mail.VerifyEmail(u.Email, mail.VerifyEmail{
		Name: u.FirstName, Token: sec.token, Code: sec.code, ValidFor: s.email.VerifyTTL,
	})
	if err != nil {
		return err
	}
	err = s.store.CreateUserWithToken(ctx, u, t, m)
	if errors.Is(err, ErrEmailTaken) && s.email.PrivateRegistration {
		return s.registrationAttempt(ctx, u.Email, now)
	}
	return err
}

// errRegistrationHidden is createUser's answer, under private registration, for an address
// that already has an account: Register then reports success without a user.
var errRegistrationHidden = errors.New("registration of a taken address hidden")

// purposeRegistrationAttempt names the registration-attempt mails' limit; no token has it.
const purposeRegistrationAttempt Purpose = "registration_attempt"

// registrationAttempt tells the owner of a taken address that someone tried to register
// with it (at most MailLimitPerAccount such mails an hour), instead of telling the caller.
func (s *Service) registrationAttempt(ctx context.Context, email string, now time.Time) error {
	owner, err := s.store.FindUserByEmail(ctx, email)
	if err != nil {
		return err
	}
	if err := s.allowMail(ctx, purposeRegistrationAttempt, owner.ID, ""); err != nil {
		if errors.Is(err, ErrMailLimited) {
			return errRegistrationHidden
		}
		return err
	}
	m, err := s.email.Mail.RegistrationAttempt(email, mail.RegistrationAttempt{At: now})
	if err == nil {
		err = s.store.EnqueueMail(ctx, now, m)
	}
	if err != nil {
		return err
	}
	return errRegistrationHidden
}

// VerifyEmail spends a verification token, presented as the link's token or as the address
// and the code, and marks the address verified. The same call confirms an email change (the
// mail to the new address carries the same kind of link and code): the account's address then
// becomes the new one, unless another account took it meanwhile (ErrEmailTaken). It returns
// ErrInvalidToken or ErrInvalidCode for a token that does not work, ErrTokenUsed for one
// already spent.
func (s *Service) VerifyEmail(ctx context.Context, in TokenInput) error {
	t, err := s.findToken(ctx, in, PurposeVerifyEmail, PurposeEmailChange)
	if err != nil {
		return err
	}
	if t.Purpose == PurposeEmailChange {
		return s.applyEmailChange(ctx, t)
	}
	if err := s.store.UseEmailToken(ctx, t, TokenUse{}, s.now()); err != nil {
		return fmt.Errorf("verify email: %w", err)
	}
	s.log.InfoContext(ctx, "email verified", "user_id", t.UserID)
	return nil
}

// ResendVerification sends p's user a new verification mail, superseding the last one. It
// returns ErrEmailAlreadyVerified if there is nothing to verify, and ErrMailLimited past
// MailLimitPerAccount or MailLimitPerIP.
func (s *Service) ResendVerification(ctx context.Context, p Principal, client Client) error {
	u, err := s.Me(ctx, p)
	if err != nil {
		return err
	}
	if u.EmailVerifiedAt != nil {
		return ErrEmailAlreadyVerified
	}
	if err := s.allowMail(ctx, PurposeVerifyEmail, u.ID, client.clean().IP); err != nil {
		return err
	}
	return s.sendToken(ctx, u, PurposeVerifyEmail)
}

// EmailInput names an address, for a signed-out request of a mail.
type EmailInput struct {
	Email string `json:"email" format:"email" maxLength:"254" example:"ada@example.com"`
}

// validate checks the address's form only: whether it has an account is never told.
func (in EmailInput) validate() error {
	var c checker
	c.email("email", normalizeEmail(in.Email))
	return c.err()
}

// RequestVerification asks, signed out, for a new verification mail to in.Email. It returns
// at once, the same whether or not the address has an account or is verified: the lookup and
// the mail happen in RunMailRequests, and count against the limits only if a mail is sent.
func (s *Service) RequestVerification(ctx context.Context, in EmailInput, client Client) error {
	if err := in.validate(); err != nil {
		return err
	}
	s.requestMail(ctx, mailRequest{purpose: PurposeVerifyEmail, email: normalizeEmail(in.Email), ip: client.clean().IP})
	return nil
}

// MarkEmailVerified marks the account with email verified without a mail, for an operator
// (gatehouse users verify-email) or an import whose source had verified it. It returns
// ErrUserNotFound if no account has this address; an address already verified keeps its time.
func (s *Service) MarkEmailVerified(ctx context.Context, email string) (*User, error) {
	u, err := s.store.FindUserByEmail(ctx, normalizeEmail(email))
	if err != nil {
		return nil, err
	}
	if err := s.store.MarkEmailVerified(ctx, u.ID, s.now()); err != nil {
		return nil, fmt.Errorf("mark email verified: %w", err)
	}
	return s.store.FindUserByID(ctx, u.ID)
}

// checkVerified refuses an unverified account's sign-in when verified addresses are required.
// Login calls it only after the password verified, so it tells a stranger nothing.
func (s *Service) checkVerified(u *User) error {
	if s.email.RequireVerified && u.EmailVerifiedAt == nil {
		return ErrEmailNotVerified
	}
	return nil
}

// userOf returns the user a token belongs to, or ErrInvalidToken if it is gone.
func (s *Service) userOf(ctx context.Context, id uuid.UUID) (*User, error) {
	u, err := s.store.FindUserByID(ctx, id)
	if errors.Is(err, ErrUserNotFound) {
		return nil, ErrInvalidToken
	}
	return u, err
}
