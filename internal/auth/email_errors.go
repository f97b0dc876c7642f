package auth

// The errors of the email flows (verification, password reset, email change).
var (
	// ErrInvalidToken says a mailed link's token is unknown, superseded by a newer one,
	// expired, or no longer matches the account's address.
	ErrInvalidToken = &Error{Code: "invalid_token", Message: "This link is invalid or has expired; ask for a new one"}
	// ErrInvalidCode says a mailed code is wrong, expired or dead after MaxCodeAttempts wrong
	// tries (the mail's link still works until it expires). One message for all, so a guesser
	// learns nothing about which.
	ErrInvalidCode = &Error{Code: "invalid_code", Message: "This code is wrong or no longer valid; use the link in the mail or ask for a new one"}
	// ErrTokenUsed says the link or code was already used: each works once.
	ErrTokenUsed = &Error{Code: "token_used", Message: "This link or code was already used"}
	// ErrEmailNotVerified refuses a sign-in with the right password to an account whose
	// address is unverified, when GATEHOUSE_REQUIRE_VERIFIED_EMAIL is on.
	ErrEmailNotVerified = &Error{Code: "email_not_verified", Message: "Confirm your email address before signing in; we can send the mail again"}
	// ErrEmailAlreadyVerified answers a signed-in resend for an address already verified.
	ErrEmailAlreadyVerified = &Error{Code: "email_already_verified", Message: "Your email address is already verified"}
	// ErrMailLimited says too many mails of this kind were sent to the account or from this
	// address lately; the HTTP edge adds Retry-After.
	ErrMailLimited = &Error{Code: "mail_rate_limited", Message: "Too many mails were sent lately; try again later"}
	// ErrEmailUnchanged refuses an email change to the address the account already has.
	ErrEmailUnchanged = &Error{Code: "email_unchanged", Message: "This is already your email address"}
)
