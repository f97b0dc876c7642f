// Package captcha decides when a request must prove it is not a bot and checks the proof:
// ALTCHA's self-hosted proof of work (the default, which sends nothing to anyone) or a
// vendor's token (Cloudflare Turnstile, hCaptcha) checked against its siteverify endpoint. It
// knows nothing of HTTP routing, SQL or the rate limiter: the risk signals come in through
// Signals, used challenges go out through Replays.
package captcha

import (
	"context"
	"net/netip"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// Action is what a challenge is bound to: a solution for one action is refused for another.
type Action string

// The actions a challenge can be asked for; these names are part of the API
// (GET /api/auth/captcha?action=…).
const (
	ActionRegister      Action = "register"
	ActionSignIn        Action = "sign_in"
	ActionPasswordReset Action = "password_reset"
)

// Actions lists every action, in the order the API documents them.
var Actions = []Action{ActionRegister, ActionSignIn, ActionPasswordReset}

// ParseAction returns the Action named s, or false when s names none.
func ParseAction(s string) (Action, bool) {
	for _, a := range Actions {
		if string(a) == s {
			return a, true
		}
	}
	return "", false
}

// The providers GATEHOUSE_CAPTCHA selects.
const (
	ProviderPoW       = "pow"
	ProviderTurnstile = "turnstile"
	ProviderHCaptcha  = "hcaptcha"
	ProviderOff       = "off"
)

// CodeRequired is the code of the answer to a request that needed a solved challenge and
// carried none.
const CodeRequired = "captcha_required"

// The errors Check returns. They are *auth.Error, so the HTTP edge answers them with their
// codes like any other domain error.
var (
	// ErrInvalid covers every way a solution can fail: malformed, a wrong answer, a tampered
	// signature, expired, for another action, or already used. One code for all, so a bot
	// learns nothing about which check it failed; the message tells a person what to do.
	ErrInvalid = &auth.Error{Code: "captcha_invalid", Message: "The CAPTCHA solution is invalid, expired or already used: solve a new challenge"}
	// ErrUnavailable says the proof could not be checked (the vendor's siteverify or the
	// store of used challenges did not answer): the request is refused rather than let
	// through unchecked, and may be retried.
	ErrUnavailable = &auth.Error{Code: "captcha_unavailable", Message: "The CAPTCHA could not be checked right now; try again shortly"}
	errRequired    = map[Action]*auth.Error{}
)

func init() {
	for _, a := range Actions {
		errRequired[a] = &auth.Error{Code: CodeRequired, Message: "A CAPTCHA is required: get a challenge from " +
			ChallengePath(a) + ", solve it and send the solution in the captcha field"}
	}
}

// ChallengePath is where a client gets a challenge for action.
func ChallengePath(a Action) string { return "/api/auth/captcha?action=" + string(a) }

// RequiredError is the error of a request for action that needed a solved challenge and had
// none; its message says where to get one. It matches every other captcha_required error.
func RequiredError(a Action) error {
	if e, ok := errRequired[a]; ok {
		return e
	}
	return &auth.Error{Code: CodeRequired, Message: "A CAPTCHA is required"}
}

// Subject is the request a decision is about.
type Subject struct {
	Action Action
	// IP is the client's address, as the trusted-proxy walk found it.
	IP netip.Addr
	// Account is the normalised email a sign-in names, "" for other actions. It may name no
	// account at all: a signal source must answer the same for unknown emails.
	Account string
	// DeviceToken is the device token a sign-in carries (form field or cookie), "" if none:
	// a device the account trusts is never challenged.
	DeviceToken string
}

// Verifier checks one solution. It returns nil when solution proves action, ErrInvalid when
// it does not (for whatever reason, including a second use), and an error matching
// ErrUnavailable when it cannot tell.
type Verifier interface {
	Verify(ctx context.Context, action Action, solution string, ip netip.Addr) error
}
