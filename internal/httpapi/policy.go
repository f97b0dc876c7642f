package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/captcha"
)

// defaultMaxBody bounds a request body unless the route's policy says otherwise: no input of
// ours comes near it.
const defaultMaxBody = 64 << 10

// chain returns rt's handler behind the checks its policy asks for. It is the one place a
// policy becomes behaviour. The order is cheapest and least revealing first: the body's size
// (no work at all), the origin of a cookie request, then the rate limit and the CAPTCHA
// (before any password or token is looked at, once they exist), and last the bearer token,
// which costs a database read.
func (s *server) chain(rt route) handlerFunc {
	p := rt.policy
	// A policy nothing enforces would be a lie in the document and a hole in the server:
	// refuse to start for a limit or a CAPTCHA action nothing knows.
	if p.rateLimit != "" && !knownLimit(p.rateLimit) {
		panic(fmt.Sprintf("httpapi: %s %s asks for rate limit %q, which this server does not enforce",
			rt.method, rt.path, p.rateLimit))
	}
	action, ok := captcha.ParseAction(p.captcha)
	if p.captcha != "" && !ok {
		panic(fmt.Sprintf("httpapi: %s %s asks for CAPTCHA action %q, which does not exist", rt.method, rt.path, p.captcha))
	}
	el, atEdge := s.edgeLimit(p.rateLimit)
	limit := p.bodyLimit()
	return func(w http.ResponseWriter, r *http.Request) error {
		if r.ContentLength > limit {
			return errTooLarge
		}
		// Also for a body of unknown length: decode and parseForm turn the reader's
		// *http.MaxBytesError into errTooLarge.
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if p.cookie {
			if err := s.checkOrigin(r); err != nil {
				return err
			}
		}
		if atEdge && !el.byUser {
			limited, err := s.passwordGrant(r, p)
			if err != nil {
				return err
			}
			if limited {
				if err := s.limit(w, r, el, ""); err != nil {
					return err
				}
			}
		}
		// After the per-client limit, so a flood of bad solutions is refused at the limit
		// first; before the handler, so none of them costs a password hash.
		if p.captcha != "" {
			if err := s.checkCaptcha(r, action); err != nil {
				return err
			}
		}
		if p.bearer {
			pr, err := s.authenticate(r)
			if err != nil {
				return err
			}
			infoFrom(r.Context()).userID = pr.UserID
			r = r.WithContext(context.WithValue(r.Context(), principalKey, pr))
			if atEdge && el.byUser {
				if err := s.limit(w, r, el, pr.UserID.String()); err != nil {
					return err
				}
			}
		}
		return rt.handle(w, r)
	}
}

// passwordGrant reports whether a request counts against its route's per-client limit: every
// request, unless the policy limits the password grant only (the token endpoint, whose
// refresh grant is limited per session instead). It reads the form for that, and returns the
// error the handler would have for a form it cannot read.
func (s *server) passwordGrant(r *http.Request, p policy) (bool, error) {
	if !p.passwordGrantOnly {
		return true, nil
	}
	if err := parseForm(r); err != nil {
		return false, err
	}
	return r.PostForm.Get("grant_type") != "refresh_token", nil
}

// authenticate checks the request's bearer access token.
func (s *server) authenticate(r *http.Request) (auth.Principal, error) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return auth.Principal{}, auth.ErrNotAuthenticated
	}
	return s.svc.Authenticate(r.Context(), strings.TrimSpace(tok))
}

// principal is who the request acts for, as the bearer policy established. Only handlers of
// bearer routes call it; on any other route it panics (a 500, logged with its stack), since
// acting for nobody in particular must never pass quietly.
func principal(r *http.Request) auth.Principal {
	p, ok := r.Context().Value(principalKey).(auth.Principal)
	if !ok {
		panic("httpapi: principal called on a route without the bearer policy: " + r.Method + " " + r.URL.Path)
	}
	return p
}
