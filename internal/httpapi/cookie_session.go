package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// The browser keeps its refresh token in an HttpOnly cookie that JavaScript cannot read, so
// a cross-site script cannot steal a long-lived credential. The cookie is scoped to the
// session endpoints: no other request carries it. A __Host- name would need Path=/, so the
// narrower path wins and the name takes the __Secure- prefix instead.
const (
	cookiePath       = "/api/auth/session"
	secureCookieName = "__Secure-gatehouse_refresh"
	plainCookieName  = "gatehouse_refresh"
)

// The device cookie carries the device token of the last account signed in from this
// browser (see internal/guard): HttpOnly, so no script can read it, and scoped to the
// sign-in path like the refresh cookie.
const (
	secureDeviceCookieName = "__Secure-gatehouse_device"
	plainDeviceCookieName  = "gatehouse_device"
)

func (s *server) deviceCookieName() string {
	if s.opts.SecureCookies {
		return secureDeviceCookieName
	}
	return plainDeviceCookieName
}

func (s *server) setDeviceCookie(w http.ResponseWriter, value string) {
	if value == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.deviceCookieName(), Value: value, Path: cookiePath,
		MaxAge: int(s.opts.DeviceTTL.Seconds()), HttpOnly: true, Secure: s.opts.SecureCookies,
		SameSite: http.SameSiteStrictMode,
	})
}

// deviceCookie returns the device cookie's value, or "" when there is none or several (a
// planted one): the client is then judged as unknown, never as someone else's device.
func (s *server) deviceCookie(r *http.Request) string {
	var value string
	n := 0
	for _, c := range r.Cookies() {
		if c.Name == s.deviceCookieName() {
			value, n = c.Value, n+1
		}
	}
	if n != 1 {
		return ""
	}
	return value
}

func (s *server) cookieName() string {
	if s.opts.SecureCookies {
		return secureCookieName
	}
	return plainCookieName
}

func (s *server) setRefreshCookie(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: value, Path: cookiePath,
		MaxAge: int(s.opts.RefreshTTL.Seconds()), HttpOnly: true, Secure: s.opts.SecureCookies,
		SameSite: http.SameSiteStrictMode,
	})
}

func (s *server) clearRefreshCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: "", Path: cookiePath, MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
}

// checkOrigin guards the cookie endpoints against cross-site request forgery, beyond what
// SameSite=Strict already does: a browser names the page's origin in Origin (or at least
// Sec-Fetch-Site), and it must be exactly ours (scheme, host and port) or an allowed one. A
// request with neither comes from no browser, so it carries no cookie that was not
// deliberately given to it.
func (s *server) checkOrigin(r *http.Request) error {
	if origin := r.Header.Get("Origin"); origin != "" {
		if origin != s.ownOrigin(r) && !slices.Contains(s.opts.AllowedOrigins, origin) {
			return errCrossOrigin
		}
	} else if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return errCrossOrigin
	}
	return nil
}

// ownOrigin is the origin a browser names when it calls us from our own pages. Behind a
// proxy that rewrites Host, set GATEHOUSE_ALLOWED_ORIGINS to the public origin.
func (s *server) ownOrigin(r *http.Request) string {
	scheme := "http"
	if s.overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + strings.ToLower(r.Host)
}

// refreshCookie returns the refresh cookie's value. Two cookies of that name mean someone
// planted one (a sibling subdomain can set a __Secure- cookie with a narrower path, which
// browsers send first); rather than guess, the request is refused.
func (s *server) refreshCookie(r *http.Request) (string, error) {
	var values []string
	for _, c := range r.Cookies() {
		if c.Name == s.cookieName() {
			values = append(values, c.Value)
		}
	}
	if len(values) != 1 {
		return "", auth.ErrInvalidRefreshToken
	}
	return values[0], nil
}

var opSessionCreate = operation{
	id: "createSession", tag: "browser session", summary: "Sign in (browser)",
	desc: "Like the password grant of /api/auth/token, but the refresh token is set as an HttpOnly, Secure, " +
		"SameSite=Strict cookie scoped to /api/auth/session and only the access token is returned. A successful " +
		"sign-in also sets the device cookie (__Secure-gatehouse_device, same attributes), which marks this browser " +
		"as a device the owner used before: other people's wrong guesses never slow its sign-ins down.",
	form: struct {
		Username string `json:"username" doc:"The email."`
		Password string `json:"password" format:"password"`
	}{},
	responses: []response{
		{http.StatusOK, "Signed in; the refresh cookie is set", tokenResponse{}},
		{http.StatusUnauthorized, "Wrong email or password", errorBody{}},
		busyResponse,
	},
}

// handleSessionCreate serves POST /api/auth/session.
func (s *server) handleSessionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f, err := formFields(r, "username", "password")
	if err != nil {
		return err
	}
	t, err := s.svc.Login(r.Context(), f[0], f[1], s.signInClient(r, s.deviceCookie(r)))
	if err != nil {
		return err
	}
	s.setRefreshCookie(w, t.RefreshToken)
	s.setDeviceCookie(w, t.DeviceToken)
	return encode(w, http.StatusOK, newTokenResponse(t, false, true))
}

var opSessionRefresh = operation{
	id: "refreshSession", tag: "browser session", summary: "Refresh (browser)",
	desc: "Rotates the refresh cookie and returns a new access token. A web app calls it on load to restore " +
		"the session, and when an access token expires.",
	responses: []response{
		{http.StatusOK, "Refreshed; the cookie is rotated", tokenResponse{}},
		{http.StatusNoContent, "No refresh cookie: this browser is not signed in (nothing is cleared)", nil},
		{http.StatusUnauthorized, "The cookie's session is invalid, expired or revoked: the cookie is cleared", errorBody{}},
	},
}

// handleSessionRefresh serves POST /api/auth/session/refresh.
func (s *server) handleSessionRefresh(w http.ResponseWriter, r *http.Request) error {
	// A browser without the cookie is simply signed out: the web app asks on every load, and
	// that answer is not an error (a 401 would log a red line in every visitor's console).
	// A cookie that is present but no longer valid still gets a 401, and is cleared.
	if _, err := r.Cookie(s.cookieName()); errors.Is(err, http.ErrNoCookie) {
		return noContent(w)
	}
	value, err := s.refreshCookie(r)
	if err != nil {
		s.clearRefreshCookie(w)
		return err
	}
	t, err := s.svc.Refresh(r.Context(), value, s.client(r))
	if errors.Is(err, auth.ErrInvalidRefreshToken) {
		s.clearRefreshCookie(w)
	}
	if err != nil {
		return err
	}
	s.setRefreshCookie(w, t.RefreshToken)
	return encode(w, http.StatusOK, newTokenResponse(t, false, false))
}

var opSessionDelete = operation{
	id: "deleteSession", tag: "browser session", summary: "Sign out (browser)",
	desc: "Revokes the session of the refresh cookie and clears it. Succeeds without a cookie too.",
	responses: []response{
		{http.StatusNoContent, "Signed out", nil},
	},
}

// handleSessionDelete serves DELETE /api/auth/session.
func (s *server) handleSessionDelete(w http.ResponseWriter, r *http.Request) error {
	if value, err := s.refreshCookie(r); err == nil {
		if err := s.svc.Logout(r.Context(), value); err != nil {
			return err
		}
	}
	s.clearRefreshCookie(w)
	return noContent(w)
}
