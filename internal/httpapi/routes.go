package httpapi

import "net/http"

// route is one endpoint: where it is, what the OpenAPI document says of it, and its handler.
// The mux and the document are both built from this list, so they cannot disagree.
type route struct {
	method string
	path   string
	op     operation
	handle handlerFunc
}

// operation documents a route.
type operation struct {
	id      string
	tag     string
	summary string
	desc    string
	// auth marks routes that need a bearer access token.
	auth bool
	// cookie marks routes that read the refresh cookie and check the request's origin.
	cookie bool
	// body is the JSON request body's type (a zero value), form the url-encoded form's.
	body, form any
	responses  []response
}

type response struct {
	status int
	desc   string
	body   any // nil: no body
}

// routes lists every endpoint of the API.
func (s *server) routes() []route {
	return []route{
		{http.MethodPost, "/api/auth/register", opRegister, s.handleRegister},
		{http.MethodPost, "/api/auth/token", opToken, s.handleToken},
		{http.MethodPost, "/api/auth/revoke", opRevoke, s.handleRevoke},
		{http.MethodPost, "/api/auth/session", opSessionCreate, s.handleSessionCreate},
		{http.MethodPost, "/api/auth/session/refresh", opSessionRefresh, s.handleSessionRefresh},
		{http.MethodDelete, "/api/auth/session", opSessionDelete, s.handleSessionDelete},

		{http.MethodGet, "/api/users/me", opMe, s.authed(s.handleMe)},
		{http.MethodPut, "/api/users/me", opUpdateMe, s.authed(s.handleUpdateMe)},
		{http.MethodDelete, "/api/users/me", opDeleteMe, s.authed(s.handleDeleteMe)},
		{http.MethodPost, "/api/users/me/password", opChangePassword, s.authed(s.handleChangePassword)},
		{http.MethodGet, "/api/users/me/sessions", opListSessions, s.authed(s.handleListSessions)},
		{http.MethodDelete, "/api/users/me/sessions", opRevokeOtherSessions, s.authed(s.handleRevokeOtherSessions)},
		{http.MethodDelete, "/api/users/me/sessions/{id}", opRevokeSession, s.authed(s.handleRevokeSession)},

		{http.MethodGet, "/api/email-accounts", opListEmailAccounts, s.authed(s.handleListEmailAccounts)},
		{http.MethodPost, "/api/email-accounts", opAddEmailAccount, s.authed(s.handleAddEmailAccount)},
		{http.MethodPatch, "/api/email-accounts/{id}", opRenameEmailAccount, s.authed(s.handleRenameEmailAccount)},
		{http.MethodDelete, "/api/email-accounts/{id}", opRemoveEmailAccount, s.authed(s.handleRemoveEmailAccount)},

		{http.MethodGet, "/.well-known/jwks.json", opJWKS, s.handleJWKS},
		{http.MethodGet, "/healthz", opHealthz, s.handleHealthz},
		{http.MethodGet, "/readyz", opReadyz, s.handleReadyz},
		{http.MethodGet, "/openapi.json", opOpenAPI, s.handleOpenAPI},
	}
}
