package auth

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/password"
)

// RequestPasswordReset asks for a password-reset mail to in.Email. It returns at once, the
// same in status, body and time whether or not the address has an account: the lookup, the
// token and the mail happen off the request path, in RunMailRequests, and count against the
// limits only if a mail is sent. A request lost to a full queue or a restart is asked again
// by its owner, who sees no mail.
func (s *Service) RequestPasswordReset(ctx context.Context, in EmailInput, client Client) error {
	if err := in.validate(); err != nil {
		return err
	}
	s.requestMail(ctx, mailRequest{purpose: PurposePasswordReset, email: normalizeEmail(in.Email), ip: client.clean().IP})
	return nil
}

// ResetPasswordInput completes a reset: the mailed token (or address and code) and the new
// password.
type ResetPasswordInput struct {
	Token       string `json:"token,omitempty" maxLength:"200" doc:"The token from the link's fragment (#token=…)."`
	Email       string `json:"email,omitempty" format:"email" maxLength:"254" doc:"With code: the address the mail went to."`
	Code        string `json:"code,omitempty" maxLength:"8" doc:"With email: the 8-digit code from the mail."`
	NewPassword string `json:"new_password" format:"password" minLength:"8" doc:"At least min_length characters (8 unless the operator changed it; see GET /api/auth/password-policy) and at most 72 bytes; judged by the password policy with the account's email and names."`
}

// ResetPassword spends a reset token and sets the new password: the security stamp moves,
// every session of the account ends (whoever had the old password is out), its failed
// sign-ins are forgotten, the address counts as verified (the mail reached it), and a
// "password changed" notice is queued with the change. A password the policy refuses is a
// validation error of field new_password, and spends nothing.
func (s *Service) ResetPassword(ctx context.Context, in ResetPasswordInput) error {
	tin := TokenInput{Token: in.Token, Email: in.Email, Code: in.Code}
	if err := tin.validate(); err != nil {
		return s.WithPasswordProblem(err, "new_password", in.NewPassword, password.Account{Email: in.Email})
	}
	var c checker
	c.password("new_password", in.NewPassword)
	if err := c.err(); err != nil {
		return err
	}
	// A code is tried against its tries, so with a code the password is first judged before
	// the code, with only what the request says (the address, not the names: the answer
	// then tells nothing of the account to someone without the code), so that a refused
	// password costs no try. A link's token costs nothing to look up.
	if in.Token == "" {
		if err := s.checkNewPassword(ctx, offline(s.policy), "new_password", in.NewPassword, password.Account{Email: normalizeEmail(in.Email)}); err != nil {
			return err
		}
	}
	t, err := s.findToken(ctx, tin, PurposePasswordReset)
	if err != nil {
		return err
	}
	u, err := s.userOf(ctx, t.UserID)
	if err != nil {
		return err
	}
	// Then with the account's own words, and the breach check.
	if err := s.checkNewPassword(ctx, s.policy, "new_password", in.NewPassword, accountOf(u)); err != nil {
		return err
	}
	hash, err := s.hash(ctx, in.NewPassword)
	if err != nil {
		return err
	}
	now := s.now()
	var msgs []*mail.Message
	if s.email.Notices {
		m, err := s.email.Mail.PasswordChanged(u.Email, mail.PasswordChanged{Name: u.FirstName, At: now})
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	if err := s.store.UseEmailToken(ctx, t, TokenUse{PasswordHash: hash}, now, msgs...); err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	// The reset proved the owner another way: their account's failed sign-ins (the guessing
	// of others) no longer slow them down.
	if err := s.ClearSignInFailures(ctx, u.Email); err != nil {
		s.log.WarnContext(ctx, "clear failed sign-ins after a reset", "user_id", u.ID, "error", err)
	}
	s.log.InfoContext(ctx, "password reset; every session revoked", "user_id", u.ID)
	return nil
}

// notifyPasswordChanged queues the notice of a password change made signed in.
func (s *Service) notifyPasswordChanged(ctx context.Context, u *User) {
	if !s.email.Notices {
		return
	}
	m, err := s.email.Mail.PasswordChanged(u.Email, mail.PasswordChanged{Name: u.FirstName, At: s.now()})
	s.notify(ctx, m, err)
}

// NotifyNewDevice queues the notice of a sign-in to u from a device the account does not
// trust, when notices are on. The abuse work's device tokens decide what is new and call it
// after the sign-in succeeded; a failure is logged, never returned, so the sign-in stands.
func (s *Service) NotifyNewDevice(ctx context.Context, u *User, client Client) {
	if !s.email.Notices {
		return
	}
	client = client.clean()
	m, err := s.email.Mail.NewDeviceSignIn(u.Email, mail.NewDeviceSignIn{
		Name: u.FirstName, At: s.now(), UserAgent: client.UserAgent, IP: client.IP,
	})
	s.notify(ctx, m, err)
}
