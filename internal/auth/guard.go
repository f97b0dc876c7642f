package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Guard defends sign-in against password guessing (internal/guard implements it). Login asks
// it before checking a password and tells it the outcome after, so the rules of who may try
// again, and when, live beside the other sign-in rules and never in the HTTP edge.
type Guard interface {
	// DeviceUser returns the user a device token was issued to, and false unless the token
	// is authentic, unexpired and not locked out for failing too often.
	DeviceUser(ctx context.Context, deviceToken string) (uuid.UUID, bool)
	// Admit returns nil if the attempt may check its password now, or a *RateLimitedError.
	// It decides alike for a registered and an unknown email, so it reveals neither.
	Admit(ctx context.Context, a Attempt) error
	// Failed records a wrong email or password.
	Failed(ctx context.Context, a Attempt)
	// Succeeded records a sign-in of userID and returns a new device token for the client.
	Succeeded(ctx context.Context, a Attempt, userID uuid.UUID) (string, error)
	// AllowRefresh returns a *RateLimitedError once sessionID refreshes too often.
	AllowRefresh(ctx context.Context, sessionID uuid.UUID) error
	// Registered records one registration, for the service-wide signals a CAPTCHA reads.
	Registered(ctx context.Context)
	// ClearAccount forgets the failures counted against the normalised email, so an owner who
	// proved who they are another way (a password reset) is not held back by an attacker's.
	ClearAccount(ctx context.Context, email string) error
}

// Attempt is one sign-in attempt as the Guard sees it.
type Attempt struct {
	// Email is the submitted email, normalised; it may name no account.
	Email string
	// IP is the client's address, as the trusted-proxy walk found it.
	IP string
	// DeviceToken is the token the client sent back from an earlier sign-in, or "".
	DeviceToken string
	// Trusted reports that DeviceToken is valid and was issued to Email's account: the owner
	// signing in from a device they used before, whom failures of others must not slow.
	Trusted bool
	// UserID is the account's id when Trusted, for the logs; uuid.Nil otherwise.
	UserID uuid.UUID
}

// CodeRateLimited is the code of every refusal for going over a limit (HTTP 429).
const CodeRateLimited = "rate_limited"

// ErrRateLimited matches every *RateLimitedError with errors.Is.
var ErrRateLimited = &Error{Code: CodeRateLimited, Message: "Too many attempts. Try again later."}

// RateLimitedError refuses a request over a limit; RetryAfter says when to try again.
type RateLimitedError struct {
	RetryAfter time.Duration
	err        *Error
}

// NewRateLimited returns the refusal for a wait of retryAfter (rounded up to whole seconds,
// at least one), whose message says how long: "Too many attempts. Try again in 30 seconds."
func NewRateLimited(retryAfter time.Duration) *RateLimitedError {
	secs := max(int((retryAfter+time.Second-1)/time.Second), 1)
	unit := "seconds"
	if secs == 1 {
		unit = "second"
	}
	return &RateLimitedError{
		RetryAfter: time.Duration(secs) * time.Second,
		err: &Error{
			Code: CodeRateLimited, Message: fmt.Sprintf("Too many attempts. Try again in %d %s.", secs, unit),
			RetryAfter: time.Duration(secs) * time.Second,
		},
	}
}

func (e *RateLimitedError) Error() string { return e.err.Message }

// Unwrap returns the *Error the HTTP edge answers with.
func (e *RateLimitedError) Unwrap() error { return e.err }

// RetryAfterSeconds is RetryAfter in whole seconds, the value of a Retry-After header.
func (e *RateLimitedError) RetryAfterSeconds() int { return int(e.RetryAfter / time.Second) }

// noGuard is the Guard of a Service built without one: it limits nothing and issues no
// device tokens.
type noGuard struct{}

func (noGuard) DeviceUser(context.Context, string) (uuid.UUID, bool)          { return uuid.Nil, false }
func (noGuard) Admit(context.Context, Attempt) error                          { return nil }
func (noGuard) Failed(context.Context, Attempt)                               {}
func (noGuard) Succeeded(context.Context, Attempt, uuid.UUID) (string, error) { return "", nil }
func (noGuard) AllowRefresh(context.Context, uuid.UUID) error                 { return nil }
func (noGuard) Registered(context.Context)                                    {}
func (noGuard) ClearAccount(context.Context, string) error                    { return nil }
