package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/mailbox"
)

// httpError is a failure of the transport itself (wrong content type, body too large, …),
// as opposed to the domain's *auth.Error.
type httpError struct {
	status int
	code   string
	detail string
}

func (e *httpError) Error() string { return e.detail }

var (
	errTooLarge         = &httpError{status: http.StatusRequestEntityTooLarge, code: "body_too_large", detail: "Request body is too large"}
	errNotFound         = &httpError{status: http.StatusNotFound, code: "not_found", detail: "Not Found"}
	errMethodNotAllowed = &httpError{status: http.StatusMethodNotAllowed, code: "method_not_allowed", detail: "Method Not Allowed"}
	errCrossOrigin      = &httpError{status: http.StatusForbidden, code: "cross_origin", detail: "Cross-origin requests are not allowed here"}
	errInternal         = &httpError{status: http.StatusInternalServerError, code: "internal_error", detail: "Internal Server Error"}
	// errResponseStarted marks a failure after the status line went out: nothing more can be
	// written, only logged.
	errResponseStarted = errors.New("response already started")
)

// statusOf maps each domain error code to its HTTP status. A code missing here is a bug,
// answered as 500 and logged; TestStatusOf_EveryCode reads the domain packages' source and
// fails for any code without an entry, so a new code cannot silently become a 500.
var statusOf = map[string]int{
	auth.CodeInvalidInput:             http.StatusUnprocessableEntity,
	auth.ErrEmailTaken.Code:           http.StatusBadRequest,
	auth.ErrInvalidCredentials.Code:   http.StatusUnauthorized,
	auth.ErrNotAuthenticated.Code:     http.StatusUnauthorized,
	auth.ErrInvalidRefreshToken.Code:  http.StatusUnauthorized,
	auth.ErrIncorrectPassword.Code:    http.StatusBadRequest,
	auth.ErrUserNotFound.Code:         http.StatusNotFound,
	auth.ErrSessionNotFound.Code:      http.StatusNotFound,
	auth.ErrRefreshTokenNotFound.Code: http.StatusNotFound,
	// 409: the request lost a race to another credential change; nothing was changed.
	auth.ErrCredentialsChanged.Code: http.StatusConflict,
	// Every hashing slot stayed taken: overload, which passes. writeError adds Retry-After.
	auth.ErrBusy.Code: http.StatusServiceUnavailable,
	// The breach check failed closed: nothing was decided, so not a 422. Retry-After too.
	auth.ErrBreachCheckUnavailable.Code: http.StatusServiceUnavailable,
	// Over a rate limit: writeError adds Retry-After, chain the RateLimit headers.
	auth.CodeRateLimited: http.StatusTooManyRequests,

	// 403, not 401 (no credential is wrong), 422 (the article's front end reads 422 as a list
	// of fields) or 429 (the limiter's, with Retry-After): the request is understood and refused
	// until a solved challenge comes with it; the code says which of the two to fix.
	captcha.CodeRequired:        http.StatusForbidden,
	captcha.ErrInvalid.Code:     http.StatusForbidden,
	captcha.ErrUnavailable.Code: http.StatusServiceUnavailable,

	auth.ErrInvalidToken.Code:   http.StatusBadRequest,
	auth.ErrInvalidCode.Code:    http.StatusBadRequest,
	auth.ErrTokenUsed.Code:      http.StatusBadRequest,
	auth.ErrEmailUnchanged.Code: http.StatusBadRequest,
	// 403 only after the password verified: the caller proved it owns the account.
	auth.ErrEmailNotVerified.Code:     http.StatusForbidden,
	auth.ErrEmailAlreadyVerified.Code: http.StatusConflict,
	// writeError adds Retry-After.
	auth.ErrMailLimited.Code: http.StatusTooManyRequests,

	mailbox.ErrEmailAccountNotFound.Code: http.StatusNotFound,
	mailbox.ErrEmailAccountExists.Code:   http.StatusBadRequest,
	mailbox.ErrTooManyEmailAccounts.Code: http.StatusBadRequest,
}

// busyResponse documents the 503 of a route that hashes or verifies a password.
var busyResponse = response{http.StatusServiceUnavailable, "Every password-hashing slot is taken (code busy); retry after Retry-After seconds", errorBody{}}

// newPasswordBusyResponse documents the 503 of a route that sets a new password.
var newPasswordBusyResponse = response{http.StatusServiceUnavailable, "Every password-hashing slot is taken (code busy), " +
	"or the breached-password check did not answer and GATEHOUSE_PASSWORD_HIBP_FAIL=closed (code breach_check_unavailable: " +
	"the password was neither accepted nor refused); retry after Retry-After seconds", errorBody{}}

// errorBody is every error response but validation's: FastAPI's {"detail": "…"} with a stable
// code beside it, and on the token endpoint RFC 6749's error fields too.
type errorBody struct {
	Detail           string `json:"detail" example:"User with this email already exists"`
	Code             string `json:"code" example:"email_taken"`
	Error            string `json:"error,omitempty" doc:"RFC 6749 error code; token endpoint only."`
	ErrorDescription string `json:"error_description,omitempty"`
}

// validationBody is FastAPI's 422: one item per invalid input.
type validationBody struct {
	Detail []validationItem `json:"detail"`
	Code   string           `json:"code" example:"invalid_input"`
}

type validationItem struct {
	Loc  []string         `json:"loc" example:"body,email"`
	Msg  string           `json:"msg" example:"value is not a valid email address"`
	Type string           `json:"type" example:"value_error.email" doc:"Machine-readable and stable. A refused new password has one of value_error.password.too_short, too_long, common, personal, weak or breached."`
	Ctx  *passwordContext `json:"ctx,omitempty" doc:"Only for a refused password that was scored (every value_error.password.* type but too_short, too_long and breached): zxcvbn's judgement, the one the web app's meter shows."`
}

// passwordContext is FastAPI's ctx of a refused password: what zxcvbn made of it.
type passwordContext struct {
	Score       int      `json:"score" doc:"zxcvbn's score, 0 (too guessable) to 4 (very unguessable); min_score at /api/auth/password-policy is the least accepted."`
	Warning     string   `json:"warning" doc:"zxcvbn's warning; may be empty."`
	Suggestions []string `json:"suggestions" doc:"zxcvbn's suggestions; may be empty."`
}

// oauthError carries the RFC 6749 error code the token endpoint adds to an error.
type oauthError struct {
	err  error
	code string
}

func (e *oauthError) Error() string { return e.err.Error() }
func (e *oauthError) Unwrap() error { return e.err }

// writeError answers err. Anything that is neither an *auth.Error nor an *httpError is a bug:
// it is logged with its chain and answered with a generic 500 that reveals nothing.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if errors.Is(err, errResponseStarted) {
		log.WarnContext(r.Context(), "response failed after it started", "error", err)
		return
	}
	body := errorBody{}
	var oe *oauthError
	if errors.As(err, &oe) {
		body.Error = oe.code
	}
	var status int
	var ae *auth.Error
	var he *httpError
	var pe *pathError
	switch {
	case errors.As(err, &pe):
		_ = encode(w, http.StatusUnprocessableEntity, validationBody{Detail: []validationItem{pe.item}, Code: auth.CodeInvalidInput})
		return
	case errors.As(err, &ae) && ae.Code == auth.CodeInvalidInput:
		items := make([]validationItem, len(ae.Fields))
		for i, f := range ae.Fields {
			items[i] = validationItem{Loc: loc(f.Field), Msg: f.Msg, Type: f.Type}
			if fb := f.Feedback; fb != nil {
				items[i].Ctx = &passwordContext{Score: fb.Score, Warning: fb.Warning, Suggestions: fb.Suggestions}
			}
		}
		_ = encode(w, http.StatusUnprocessableEntity, validationBody{Detail: items, Code: ae.Code})
		return
	case errors.As(err, &ae) && statusOf[ae.Code] != 0:
		status, body.Detail, body.Code = statusOf[ae.Code], ae.Message, ae.Code
	case errors.As(err, &he):
		status, body.Detail, body.Code = he.status, he.detail, he.code
	default:
		log.ErrorContext(r.Context(), "request failed", "error", err)
		status, body.Detail, body.Code = http.StatusInternalServerError, "Internal Server Error", "internal_error"
	}
	if body.Error != "" {
		body.ErrorDescription = body.Detail
	}
	switch {
	case status == http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", "Bearer")
	case ae != nil && ae.RetryAfter > 0:
		// The service knows how long the wait is (the hashing queue's work ahead, a limit's
		// refill): whole seconds, rounded up, as Retry-After takes them. A limit checked at
		// the edge may have set it already, the longest of its limits: that one stands.
		if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", strconv.Itoa(int((ae.RetryAfter+time.Second-1)/time.Second)))
		}
	case status == http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "1")
	case status == http.StatusTooManyRequests:
		// A limit whose wait the service does not state: the mail limits (see mailRetryAfter).
		w.Header().Set("Retry-After", mailRetryAfter)
	}
	_ = encode(w, status, body)
}

// loc is FastAPI's location of a field: ["body", name], or ["body"] for the body as a whole.
func loc(field string) []string {
	if field == "" {
		return []string{"body"}
	}
	return []string{"body", field}
}
