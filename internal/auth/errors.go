package auth

import (
	"errors"
	"time"
)

// Error is a failure the caller can act on. Code is part of the API contract and never
// changes; Message is one sentence that is safe to show to a user.
type Error struct {
	Code    string
	Message string
	// Fields says which inputs were invalid; only set when Code is CodeInvalidInput.
	Fields []FieldError
	// RetryAfter is how long the caller should wait before trying again: set when Code is
	// "busy" (ErrBusy, computed from the hashing queue, at least one second) or
	// "breach_check_unavailable" (ErrBreachCheckUnavailable).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Message }

// Is matches errors by Code, so a copy with other Fields still matches its sentinel.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code
}

// FieldError is one invalid input, in the terms FastAPI uses: Field names the input, Msg says
// what is wrong, Type is the machine-readable kind (value_error.missing, value_error.email, …).
type FieldError struct {
	Field string
	Msg   string
	Type  string
	// Feedback is set for a password the policy refused after scoring it (FastAPI's ctx).
	Feedback *PasswordFeedback
}

// CodeInvalidInput is the code of every validation error.
const CodeInvalidInput = "invalid_input"

// The errors the service returns. Messages follow the article where it has one.
var (
	ErrEmailTaken           = &Error{Code: "email_taken", Message: "User with this email already exists"}
	ErrInvalidCredentials   = &Error{Code: "invalid_credentials", Message: "Incorrect email or password"}
	ErrNotAuthenticated     = &Error{Code: "not_authenticated", Message: "Not authenticated"}
	ErrInvalidRefreshToken  = &Error{Code: "invalid_refresh_token", Message: "Refresh token is invalid or expired"}
	ErrIncorrectPassword    = &Error{Code: "incorrect_password", Message: "Incorrect password"}
	ErrUserNotFound         = &Error{Code: "user_not_found", Message: "User not found"}
	ErrSessionNotFound      = &Error{Code: "session_not_found", Message: "Session not found"}
	ErrRefreshTokenNotFound = &Error{Code: "refresh_token_not_found", Message: "Refresh token not found"}
	// ErrCredentialsChanged says a credential change (another password change) landed after
	// the request verified the user's password, so what it asked (a password change, an
	// account deletion) was not done: the password it gave is no longer current. A sign-in
	// reports it as ErrInvalidCredentials instead.
	ErrCredentialsChanged = &Error{Code: "credentials_changed", Message: "Your password was changed meanwhile by another request; nothing was changed"}
)

// Invalid returns a validation error listing fields.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: CodeInvalidInput, Message: "Invalid input", Fields: fields}
}
