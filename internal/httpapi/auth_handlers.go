package httpapi

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/password"
)

var opRegister = operation{
	id: "register", tag: "auth", summary: "Register",
	desc: "Creates an account. The email is unique case-insensitively. Registering does not sign in: " +
		"call /api/auth/token or /api/auth/session next (the web app does so automatically).",
	body: auth.RegisterInput{},
	responses: []response{
		{http.StatusCreated, "Registered", message{}},
		{http.StatusBadRequest, "The email is taken (code email_taken)", errorBody{}},
		newPasswordBusyResponse,
	},
}

// handleRegister serves POST /api/auth/register.
func (s *server) handleRegister(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[auth.RegisterInput](r)
	if err != nil {
		return s.svc.WithPasswordProblem(err, "password", in.Password, password.Account{Email: in.Email, FirstName: in.FirstName, LastName: in.LastName})
	}
	if _, err := s.svc.Register(r.Context(), in); err != nil {
		return err
	}
	return encode(w, http.StatusCreated, message{"User registered successfully"})
}

// tokenForm documents the token endpoint's form (OAuth2 password and refresh_token grants).
type tokenForm struct {
	GrantType    string `json:"grant_type,omitempty" enum:"password,refresh_token" doc:"Defaults to password."`
	Username     string `json:"username,omitempty" doc:"The email; password grant."`
	Password     string `json:"password,omitempty" format:"password" doc:"Password grant."`
	RefreshToken string `json:"refresh_token,omitempty" doc:"refresh_token grant."`
	DeviceToken  string `json:"device_token,omitempty" doc:"Password grant: the device_token an earlier sign-in of this account returned. It marks the client as a device the owner used before, which other people's wrong guesses never slow down."`
	Scope        string `json:"scope,omitempty" doc:"Accepted and ignored."`
}

// tokenResponse is RFC 6749's access token response.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type" example:"bearer"`
	ExpiresIn    int    `json:"expires_in" doc:"Seconds until the access token expires." example:"900"`
	RefreshToken string `json:"refresh_token,omitempty" doc:"Absent from the cookie endpoints, which set it as an HttpOnly cookie."`
	DeviceToken  string `json:"device_token,omitempty" doc:"Password grant only: keep it and send it back as device_token at the next sign-in of this account. Absent from the cookie endpoints, which set it as an HttpOnly cookie."`
	// PasswordChangeRequired is set on password sign-ins only (a pointer: absent on refreshes).
	PasswordChangeRequired *bool  `json:"password_change_required,omitempty" doc:"Password sign-ins only (the password grant and POST /api/auth/session; absent on refreshes): true when the password just used is one the current password policy would refuse as a new password. The sign-in stands; ask the user to change it (POST /api/users/me/password)."`
	PasswordChangeReason   string `json:"password_change_reason,omitempty" enum:"value_error.password.too_short,value_error.password.too_long,value_error.password.common,value_error.password.personal,value_error.password.weak,value_error.password.breached" doc:"Only when password_change_required is true: why, as the type a 422 would give that password."`
}

// newTokenResponse is t as the API answers it. password says it came from a password sign-in,
// which tells whether the password should change; withRefresh adds the refresh and device
// tokens (the cookie endpoints set them as cookies instead).
func newTokenResponse(t auth.Tokens, withRefresh, password bool) tokenResponse {
	out := tokenResponse{AccessToken: t.AccessToken, TokenType: "bearer", ExpiresIn: int(t.ExpiresIn.Seconds())}
	if withRefresh {
		out.RefreshToken = t.RefreshToken
		out.DeviceToken = t.DeviceToken
	}
	if password {
		required := t.PasswordChangeReason != ""
		out.PasswordChangeRequired, out.PasswordChangeReason = &required, t.PasswordChangeReason
	}
	return out
}

var opToken = operation{
	id: "token", tag: "auth", summary: "Sign in or refresh (OAuth2 token endpoint)",
	desc: "The OAuth2 password grant as FastAPI's OAuth2PasswordRequestForm takes it (username is the email), " +
		"and the refresh_token grant, which rotates the refresh token: each one works once.",
	form: tokenForm{},
	responses: []response{
		{http.StatusOK, "Signed in", tokenResponse{}},
		{http.StatusBadRequest, "Unsupported grant_type (error unsupported_grant_type)", errorBody{}},
		{http.StatusUnauthorized, "Wrong email or password, or an invalid refresh token (error invalid_grant)", errorBody{}},
		busyResponse,
	},
}

// handleToken serves POST /api/auth/token.
func (s *server) handleToken(w http.ResponseWriter, r *http.Request) error {
	t, err := s.grant(r)
	if err != nil {
		return asOAuth(err)
	}
	w.Header().Set("Pragma", "no-cache")
	return encode(w, http.StatusOK, newTokenResponse(t, true, r.PostForm.Get("grant_type") != "refresh_token"))
}

// grant runs the form's grant: password (the default, as in FastAPI) or refresh_token.
func (s *server) grant(r *http.Request) (auth.Tokens, error) {
	if err := parseForm(r); err != nil {
		return auth.Tokens{}, err
	}
	switch r.PostForm.Get("grant_type") {
	case "", "password":
		f, err := formFields(r, "username", "password")
		if err != nil {
			return auth.Tokens{}, err
		}
		return s.svc.Login(r.Context(), f[0], f[1], s.signInClient(r, r.PostForm.Get("device_token")))
	case "refresh_token":
		f, err := formFields(r, "refresh_token")
		if err != nil {
			return auth.Tokens{}, err
		}
		return s.svc.Refresh(r.Context(), f[0], s.client(r))
	default:
		return auth.Tokens{}, errUnsupportedGrant
	}
}

var errUnsupportedGrant = &httpError{status: http.StatusBadRequest, code: "unsupported_grant_type", detail: "grant_type must be password or refresh_token"}

// asOAuth adds RFC 6749's error code, so OAuth2 client libraries report the failure well.
func asOAuth(err error) error {
	code := "invalid_request"
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials), errors.Is(err, auth.ErrInvalidRefreshToken):
		code = "invalid_grant"
	case errors.Is(err, errUnsupportedGrant):
		code = "unsupported_grant_type"
	case errors.Is(err, auth.ErrBusy), errors.Is(err, auth.ErrRateLimited):
		// RFC 6749 names this code for the authorization endpoint; it says the same here.
		code = "temporarily_unavailable"
	}
	var ae *auth.Error
	var he *httpError
	if !errors.As(err, &ae) && !errors.As(err, &he) {
		return err // a bug: answered as a plain 500
	}
	return &oauthError{err: err, code: code}
}

type revokeForm struct {
	Token         string `json:"token" doc:"The refresh token to revoke."`
	TokenTypeHint string `json:"token_type_hint,omitempty" enum:"refresh_token"`
}

var opRevoke = operation{
	id: "revoke", tag: "auth", summary: "Sign out (revoke a refresh token, RFC 7009)",
	desc:      "Ends the session the refresh token belongs to. Answers 200 for an unknown token too, as RFC 7009 says.",
	form:      revokeForm{},
	responses: []response{{http.StatusOK, "Revoked, or was never valid", struct{}{}}},
}

// handleRevoke serves POST /api/auth/revoke.
func (s *server) handleRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f, err := formFields(r, "token")
	if err != nil {
		return err
	}
	if err := s.svc.Logout(r.Context(), f[0]); err != nil {
		return err
	}
	return encode(w, http.StatusOK, struct{}{})
}
