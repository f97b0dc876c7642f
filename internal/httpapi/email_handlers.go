package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/password"
)

// The answers of the signed-out mail requests: one each, whatever the address, so that they
// tell no one whether it has an account.
var (
	msgResetRequested  = message{"If an account has this address, a mail with a reset link is on its way"}
	msgVerifyRequested = message{"If an unverified account has this address, a mail with a confirmation link is on its way"}
)

var opVerifyEmail = operation{
	id: "verifyEmail", tag: "email", summary: "Confirm an email address",
	desc: "Spends the token of a verification mail, or of an email-change confirmation (which then moves the " +
		"account to the new address), given as the link's token (from its #token= fragment) or as the address " +
		"and the mail's code. Each works once; a code dies after 5 wrong tries (the link still works until it expires).",
	body: auth.TokenInput{},
	responses: []response{
		{http.StatusOK, "Confirmed", message{}},
		{http.StatusBadRequest, "Invalid or expired link (invalid_token), wrong code (invalid_code), already used (token_used), or the new address was taken meanwhile (email_taken)", errorBody{}},
	},
}

// handleVerifyEmail serves POST /api/auth/verify-email.
func (s *server) handleVerifyEmail(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[auth.TokenInput](r)
	if err != nil {
		return err
	}
	if err := s.svc.VerifyEmail(r.Context(), in); err != nil {
		return err
	}
	return encode(w, http.StatusOK, message{"Email address confirmed"})
}

var opResendVerification = operation{
	id: "resendVerification", tag: "email", summary: "Send the verification mail again",
	desc: "With a bearer token: for the signed-in user (no body needed), answering 409 email_already_verified or " +
		"429 mail_rate_limited. Without one: for {email}, answered 202 with the same body whether or not the " +
		"address has an account; limits count mails actually sent, per account and per IP.",
	body: auth.EmailInput{},
	responses: []response{
		{http.StatusAccepted, "Queued, or nothing to send", message{}},
		{http.StatusUnauthorized, "A bearer token was given and is invalid", errorBody{}},
		{http.StatusConflict, "Signed in, and already verified (code email_already_verified)", errorBody{}},
		{http.StatusTooManyRequests, "Signed in, and too many mails lately (code mail_rate_limited)", errorBody{}},
	},
}

// handleResendVerification serves POST /api/auth/verify-email/resend. Its route is public, so
// it authenticates itself: a request that carries a bearer token acts for its user.
func (s *server) handleResendVerification(w http.ResponseWriter, r *http.Request) error {
	if r.Header.Get("Authorization") != "" {
		p, err := s.authenticate(r)
		if err != nil {
			return err
		}
		infoFrom(r.Context()).userID = p.UserID
		if err := s.svc.ResendVerification(r.Context(), p, s.client(r)); err != nil {
			return err
		}
		return encode(w, http.StatusAccepted, message{"A new confirmation mail is on its way"})
	}
	in, err := decode[auth.EmailInput](r)
	if err != nil {
		return err
	}
	if err := s.svc.RequestVerification(r.Context(), in, s.client(r)); err != nil {
		return err
	}
	return encode(w, http.StatusAccepted, msgVerifyRequested)
}

var opPasswordReset = operation{
	id: "requestPasswordReset", tag: "email", summary: "Ask for a password-reset mail",
	desc: "Answers 202 with the same body, and in the same time, whether or not the address has an account: " +
		"the lookup and the mail happen in the background. The mail's link and code are valid for 1 hour.",
	body:      auth.EmailInput{},
	responses: []response{{http.StatusAccepted, "Queued, or nothing to send", message{}}},
}

// handlePasswordReset serves POST /api/auth/password-reset.
func (s *server) handlePasswordReset(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[auth.EmailInput](r)
	if err != nil {
		return err
	}
	if err := s.svc.RequestPasswordReset(r.Context(), in, s.client(r)); err != nil {
		return err
	}
	return encode(w, http.StatusAccepted, msgResetRequested)
}

var opPasswordResetConfirm = operation{
	id: "confirmPasswordReset", tag: "email", summary: "Choose a new password with a reset mail's link or code",
	desc: "Sets the new password, ends every session of the account, marks the address verified and sends a " +
		"\"password changed\" notice. Sign in afresh afterwards.",
	body: auth.ResetPasswordInput{},
	responses: []response{
		{http.StatusOK, "Password changed", message{}},
		{http.StatusBadRequest, "Invalid or expired link (invalid_token), wrong code (invalid_code), or already used (token_used)", errorBody{}},
		newPasswordBusyResponse,
	},
}

// handlePasswordResetConfirm serves POST /api/auth/password-reset/confirm.
func (s *server) handlePasswordResetConfirm(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[auth.ResetPasswordInput](r)
	if err != nil {
		return s.svc.WithPasswordProblem(err, "new_password", in.NewPassword, password.Account{Email: in.Email})
	}
	if err := s.svc.ResetPassword(r.Context(), in); err != nil {
		return err
	}
	return encode(w, http.StatusOK, message{"Password changed; sign in with your new password"})
}

var opChangeEmail = operation{
	id: "changeEmail", tag: "users", summary: "Move my account to another address",
	desc: "Sends a confirmation to the new address (valid 24 hours; confirm with /api/auth/verify-email) and a " +
		"notice to the current one with a link to report it. Nothing changes until the confirmation is used; " +
		"whether the new address is free is decided then (email_taken).",
	body: auth.ChangeEmailInput{},
	responses: []response{
		{http.StatusAccepted, "Confirmation sent", message{}},
		{http.StatusBadRequest, "Wrong password (incorrect_password) or the current address (email_unchanged)", errorBody{}},
		busyResponse,
	},
}

// handleChangeEmail serves POST /api/users/me/email.
func (s *server) handleChangeEmail(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[auth.ChangeEmailInput](r)
	if err != nil {
		return err
	}
	if err := s.svc.RequestEmailChange(r.Context(), principal(r), in); err != nil {
		return err
	}
	return encode(w, http.StatusAccepted, message{"Check the new address for a confirmation mail"})
}

var opReportEmailChange = operation{
	id: "reportEmailChange", tag: "email", summary: "Report an email change I did not ask for",
	desc: "Spends the report token of an email-change notice and cancels the account's pending changes.",
	body: auth.TokenInput{},
	responses: []response{
		{http.StatusOK, "Cancelled", message{}},
		{http.StatusBadRequest, "Invalid or expired link (invalid_token), or already used (token_used)", errorBody{}},
	},
}

// handleReportEmailChange serves POST /api/auth/email-change/report.
func (s *server) handleReportEmailChange(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[auth.TokenInput](r)
	if err != nil {
		return err
	}
	if err := s.svc.ReportEmailChange(r.Context(), in); err != nil {
		return err
	}
	return encode(w, http.StatusOK, message{"The change was cancelled; change your password now"})
}

// mailRetryAfter is the Retry-After of a 429 mail_rate_limited: the time one more mail of the
// per-account limit takes to become available.
var mailRetryAfter = strconv.Itoa(int(auth.MailLimitPerAccount.Period.Seconds()) / auth.MailLimitPerAccount.Rate)
