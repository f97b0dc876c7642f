package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/netip"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/captcha"
)

// captchaField is the body field (JSON or form) that carries a solution.
const captchaField = "captcha"

// vendorChallenge is the challenge route's answer when a vendor's widget makes the challenge.
type vendorChallenge struct {
	Provider string `json:"provider" enum:"turnstile,hcaptcha"`
	SiteKey  string `json:"site_key" doc:"The widget's public site key."`
}

var opCaptcha = operation{
	id: "captchaChallenge", tag: "auth", summary: "Get a CAPTCHA challenge",
	desc: "With GATEHOUSE_CAPTCHA=pow (the default): an ALTCHA v1 proof-of-work challenge for the action, valid " +
		"for a few minutes: find n in 0..maxnumber with hex(SHA-256(salt + n)) = challenge, then send " +
		"base64(JSON {algorithm, challenge, number, salt, signature}) in the captcha field of the action's " +
		"request (register: POST /api/auth/register; sign_in: POST /api/auth/token or /api/auth/session). " +
		"Each solution is accepted once. With turnstile or hcaptcha: the provider and its site key, for the " +
		"vendor's widget, whose token goes in the same field. 404 when the CAPTCHA is off.",
	params: []param{{name: "action", required: true, enum: captchaActions()}},
	responses: []response{
		{http.StatusOK, "A challenge (pow), or the vendor's site key (turnstile, hcaptcha)", captcha.Challenge{}},
		{http.StatusNotFound, "The CAPTCHA is off (code not_found)", errorBody{}},
	},
}

func captchaActions() []string {
	out := make([]string, len(captcha.Actions))
	for i, a := range captcha.Actions {
		out[i] = string(a)
	}
	return out
}

// handleCaptcha serves GET /api/auth/captcha.
func (s *server) handleCaptcha(w http.ResponseWriter, r *http.Request) error {
	action, ok := captcha.ParseAction(r.URL.Query().Get("action"))
	if !ok {
		return &pathError{item: validationItem{
			Loc: []string{"query", "action"}, Msg: "value is not one of register, sign_in, password_reset", Type: "type_error.enum",
		}}
	}
	g := s.opts.Captcha
	if g.Provider() == captcha.ProviderOff {
		return errNotFound
	}
	// A challenge is made for one client and used once: no cache may keep or share it.
	w.Header().Set("Cache-Control", "no-store")
	c, ok, err := g.Challenge(r.Context(), action, s.clientAddr(r))
	if err != nil {
		return err
	}
	if !ok {
		return encode(w, http.StatusOK, vendorChallenge{Provider: g.Provider(), SiteKey: g.SiteKey()})
	}
	return encode(w, http.StatusOK, c)
}

// clientAddr is the client's address as the trusted-proxy walk finds it; the zero Addr if
// it cannot be parsed.
func (s *server) clientAddr(r *http.Request) netip.Addr {
	a, _ := netip.ParseAddr(clientIP(r, s.opts.TrustedProxies))
	return a.Unmap()
}

// checkCaptcha is chain's CAPTCHA step for a route whose policy names action. It runs before
// the handler, so before any password is hashed: a request that needs a challenge and
// carries none, or a bad one, costs a body read and at most one SHA-256 and one HMAC. It
// reads the solution (and, for a sign-in, the email the limiter's signals key on) from the
// body and leaves the body for the handler to read again.
func (s *server) checkCaptcha(r *http.Request, action captcha.Action) error {
	g := s.opts.Captcha
	if g == nil {
		return nil
	}
	subject := captcha.Subject{Action: action, IP: s.clientAddr(r)}
	var solution string
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return errTooLarge
			}
			return &httpError{status: http.StatusBadRequest, code: "bad_request", detail: "Could not read the request body"}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var fields struct {
			Captcha string `json:"captcha"`
		}
		// A body that is not such an object is the handler's 422 to give; here it carries
		// no solution. json's case-insensitive key match is harmless: the handler never
		// reads this field.
		_ = json.Unmarshal(body, &fields)
		solution = fields.Captcha
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return errTooLarge
			}
			return invalidBody("the form body is malformed", "value_error.form")
		}
		// Refreshing a session proves possession of a refresh token, not a guess at a
		// password: only the password grant is a sign-in.
		if r.PostForm.Get("grant_type") == "refresh_token" {
			return nil
		}
		solution = r.PostForm.Get(captchaField)
		if action == captcha.ActionSignIn {
			subject.Account = auth.NormalizeEmail(r.PostForm.Get("username"))
			subject.DeviceToken = r.PostForm.Get("device_token")
			if subject.DeviceToken == "" {
				subject.DeviceToken = s.deviceCookie(r)
			}
		}
	}
	return g.Check(r.Context(), subject, solution)
}
