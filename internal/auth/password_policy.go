package auth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/password"
)

// ErrBreachCheckUnavailable says the breached-password check (HIBP) did not answer and the
// policy fails closed: the new password was neither accepted nor refused, and nothing was
// changed. RetryAfter is set.
var ErrBreachCheckUnavailable = &Error{
	Code:       "breach_check_unavailable",
	Message:    "The check for breached passwords is not answering; try again in a moment",
	RetryAfter: 5 * time.Second,
}

// PasswordFeedback is zxcvbn's judgement of a refused password, the one the web app's meter
// shows: Score from 0 to 4, a Warning (may be empty) and Suggestions.
type PasswordFeedback struct {
	Score       int
	Warning     string
	Suggestions []string
}

// PasswordPolicy returns the policy new passwords are judged by (for the public endpoint that
// describes it).
func (s *Service) PasswordPolicy() password.Policy { return s.policy }

// checkNewPassword judges pw, a new password for acct sent as field, by the password policy.
// It returns nil, a validation error whose one field carries the refusal's type and message
// (and PasswordFeedback when it was scored), or ErrBreachCheckUnavailable.
func (s *Service) checkNewPassword(ctx context.Context, p password.Policy, field, pw string, acct password.Account) error {
	err := p.Check(ctx, pw, acct)
	if err == nil {
		return nil
	}
	var r *password.Refusal
	if errors.As(err, &r) {
		return Invalid(refusalField(field, r))
	}
	// Any other error is the breach check's: no answer (the HIBP client fails open on its
	// own when told to, so an error here means fail closed). The error names no password,
	// prefix or URL.
	s.log.WarnContext(ctx, "breached-password check unavailable: the new password was neither accepted nor refused", "error", err)
	return ErrBreachCheckUnavailable
}

func refusalField(field string, r *password.Refusal) FieldError {
	f := FieldError{Field: field, Msg: r.Message, Type: r.Type}
	if r.Score >= 0 {
		f.Feedback = &PasswordFeedback{Score: r.Score, Warning: r.Warning, Suggestions: r.Suggestions}
		if f.Feedback.Suggestions == nil {
			f.Feedback.Suggestions = []string{}
		}
	}
	return f
}

// passwordChangeReason returns why the current policy would refuse pw, a password that has
// just signed in to u, or "". It never refuses the sign-in and never logs the password; an
// unanswered breach check counts as not breached.
func (s *Service) passwordChangeReason(ctx context.Context, u *User, pw string) string {
	if r := s.policy.NeedsChange(ctx, pw, accountOf(u)); r != nil {
		return r.Type
	}
	return ""
}

// accountOf is what the policy is told of u, so a password built from it is refused.
func accountOf(u *User) password.Account {
	return password.Account{Email: u.Email, FirstName: u.FirstName, LastName: u.LastName}
}

// offline is p without its breach check, for a first judgement before the account is known.
func offline(p password.Policy) password.Policy {
	p.Breached = nil
	return p
}

// WithPasswordProblem returns err, the validation error of a request that sets pw as field,
// with the password policy's judgement of pw added (its offline checks: the breach check waits
// for a valid request) unless err lists field already, so that one 422 lists every problem,
// as pydantic's does. Any other err is returned as it is. The account's words are the ones
// the request gave, valid or not.
func (s *Service) WithPasswordProblem(err error, field, pw string, acct password.Account) error {
	var ae *Error
	// A field already judged, or a body that could not be read as fields (field ""), has
	// nothing to add.
	if !errors.As(err, &ae) || ae.Code != CodeInvalidInput || slices.ContainsFunc(ae.Fields, func(f FieldError) bool { return f.Field == field || f.Field == "" }) {
		return err
	}
	acct = password.Account{Email: normalizeEmail(acct.Email), FirstName: strings.TrimSpace(acct.FirstName), LastName: strings.TrimSpace(acct.LastName)}
	var r *password.Refusal
	if !errors.As(offline(s.policy).Check(context.Background(), pw, acct), &r) {
		return err
	}
	return Invalid(append(slices.Clone(ae.Fields), refusalField(field, r))...)
}
