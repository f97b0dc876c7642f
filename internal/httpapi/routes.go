package httpapi

import (
	"net/http"

	"github.com/gatehouse/gatehouse/internal/captcha"
)

// route is one endpoint: where it is, the policy the mux enforces before its handler runs,
// what the OpenAPI document says of it, and its handler. The mux and the document are both
// built from this table, so they cannot disagree.
type route struct {
	method string
	path   string
	policy policy
	op     operation
	handle handlerFunc
}

// policy is everything a route asks of the edge before its handler runs. NewServer builds
// each route's middleware from it (see chain) and the document describes it (security,
// 401/403/413 responses, x-rate-limit, x-captcha), so a field added here is enforced and
// documented in one place each.
type policy struct {
	// bearer requires a valid access token; the handler reads who it acts for with principal.
	bearer bool
	// cookie marks routes that read the refresh cookie: their request's Origin (or
	// Sec-Fetch-Site) must be ours or an allowed origin.
	cookie bool
	// rateLimit names the rate-limit class the route counts against; "" means none.
	rateLimit string
	// passwordGrantOnly applies rateLimit to the token endpoint's password grant only.
	passwordGrantOnly bool
	// captcha names the CAPTCHA action the route requires a solved challenge for; "" none.
	captcha string
	// maxBody bounds the request body in bytes; 0 means defaultMaxBody.
	maxBody int64
}

// bodyLimit is the route's body limit in bytes.
func (p policy) bodyLimit() int64 {
	if p.maxBody > 0 {
		return p.maxBody
	}
	return defaultMaxBody
}

// The policies most routes share; a route that needs more spells its own.
var (
	public     = policy{}
	bearer     = policy{bearer: true}
	withCookie = policy{cookie: true}
)

// routes lists every endpoint of the API.
func (s *server) routes() []route {
	return []route{
		{http.MethodPost, "/api/auth/register", policy{rateLimit: limitRegisterIP, captcha: string(captcha.ActionRegister)}, opRegister, s.handleRegister},
		{http.MethodPost, "/api/auth/token", policy{rateLimit: limitSignInIP, passwordGrantOnly: true, captcha: string(captcha.ActionSignIn)}, opToken, s.handleToken},
		{http.MethodGet, "/api/auth/captcha", public, opCaptcha, s.handleCaptcha},
		{http.MethodGet, "/api/auth/password-policy", public, opPasswordPolicy, s.handlePasswordPolicy},
		{http.MethodPost, "/api/auth/revoke", public, opRevoke, s.handleRevoke},
		{http.MethodPost, "/api/auth/session", policy{cookie: true, rateLimit: limitSignInIP, captcha: string(captcha.ActionSignIn)}, opSessionCreate, s.handleSessionCreate},
		{http.MethodPost, "/api/auth/session/refresh", policy{cookie: true, rateLimit: limitRefresh}, opSessionRefresh, s.handleSessionRefresh},
		{http.MethodDelete, "/api/auth/session", withCookie, opSessionDelete, s.handleSessionDelete},
		{http.MethodPost, "/api/auth/verify-email", policy{rateLimit: limitEmailTokenIP}, opVerifyEmail, s.handleVerifyEmail},
		// Public, and bearer when a token is given: handleResendVerification authenticates.
		{http.MethodPost, "/api/auth/verify-email/resend", public, opResendVerification, s.handleResendVerification},
		{http.MethodPost, "/api/auth/password-reset", public, opPasswordReset, s.handlePasswordReset},
		{http.MethodPost, "/api/auth/password-reset/confirm", policy{rateLimit: limitEmailTokenIP}, opPasswordResetConfirm, s.handlePasswordResetConfirm},
		{http.MethodPost, "/api/auth/email-change/report", policy{rateLimit: limitEmailTokenIP}, opReportEmailChange, s.handleReportEmailChange},

		{http.MethodGet, "/api/users/me", bearer, opMe, s.handleMe},
		{http.MethodPut, "/api/users/me", bearer, opUpdateMe, s.handleUpdateMe},
		{http.MethodDelete, "/api/users/me", policy{bearer: true, rateLimit: limitDeleteUser}, opDeleteMe, s.handleDeleteMe},
		{http.MethodPost, "/api/users/me/password", policy{bearer: true, rateLimit: limitPasswordUser}, opChangePassword, s.handleChangePassword},
		{http.MethodPost, "/api/users/me/email", policy{bearer: true, rateLimit: limitPasswordUser}, opChangeEmail, s.handleChangeEmail},
		{http.MethodGet, "/api/users/me/sessions", bearer, opListSessions, s.handleListSessions},
		{http.MethodDelete, "/api/users/me/sessions", bearer, opRevokeOtherSessions, s.handleRevokeOtherSessions},
		{http.MethodDelete, "/api/users/me/sessions/{id}", bearer, opRevokeSession, s.handleRevokeSession},

		{http.MethodGet, "/api/email-accounts", bearer, opListEmailAccounts, s.handleListEmailAccounts},
		{http.MethodPost, "/api/email-accounts", bearer, opAddEmailAccount, s.handleAddEmailAccount},
		{http.MethodPatch, "/api/email-accounts/{id}", bearer, opRenameEmailAccount, s.handleRenameEmailAccount},
		{http.MethodDelete, "/api/email-accounts/{id}", bearer, opRemoveEmailAccount, s.handleRemoveEmailAccount},

		{http.MethodGet, "/.well-known/jwks.json", public, opJWKS, s.handleJWKS},
		{http.MethodGet, "/healthz", public, opHealthz, s.handleHealthz},
		{http.MethodGet, "/readyz", public, opReadyz, s.handleReadyz},
		{http.MethodGet, "/openapi.json", public, opOpenAPI, s.handleOpenAPI},
	}
}

// operation documents a route; what the edge enforces is its policy's business.
type operation struct {
	id      string
	tag     string
	summary string
	desc    string
	// body is the JSON request body's type (a zero value), form the url-encoded form's.
	body, form any
	// params are the query parameters.
	params    []param
	responses []response
}

// param is one query parameter.
type param struct {
	name     string
	required bool
	enum     []string
}

type response struct {
	status int
	desc   string
	body   any // nil: no body
}
