package captcha

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
)

// Gate decides whether a request must carry a solved challenge and checks the one it
// carries. It is safe for concurrent use. A nil *Gate requires nothing (GATEHOUSE_CAPTCHA=off).
type Gate struct {
	provider       string
	pow            *PoW
	verifier       Verifier
	siteKey        string
	signals        Signals
	registerAlways bool
	log            *slog.Logger
	decisions      Decisions
}

// The outcomes of Check, as a Decisions observer is told them.
const (
	OutcomeNotRequired = "not_required" // below the thresholds: nothing asked
	OutcomeMissing     = "missing"      // required, and no solution sent
	OutcomePassed      = "passed"
	OutcomeInvalid     = "invalid"     // ErrInvalid: wrong, expired, replayed, for another action
	OutcomeUnavailable = "unavailable" // ErrUnavailable: could not be checked
)

// Decisions is told the outcome of every Check (metrics). metrics.Metrics implements it.
type Decisions interface {
	CaptchaDecision(outcome string)
}

// GateOptions configures a Gate.
type GateOptions struct {
	// Provider is ProviderPoW (needs PoW), ProviderTurnstile or ProviderHCaptcha (need Vendor
	// and SiteKey).
	Provider string
	PoW      *PoW
	Vendor   *Vendor
	// Signals says when a challenge is required and how hard it is; nil means NoPressure.
	Signals Signals
	// RegisterAlways requires a challenge on every registration (GATEHOUSE_CAPTCHA_REGISTER=always).
	RegisterAlways bool
	Logger         *slog.Logger
	// Decisions, when set, is told the outcome of every Check.
	Decisions Decisions
}

// NewGate returns a Gate.
func NewGate(o GateOptions) (*Gate, error) {
	g := &Gate{provider: o.Provider, pow: o.PoW, signals: o.Signals, registerAlways: o.RegisterAlways, log: o.Logger,
		decisions: o.Decisions}
	switch o.Provider {
	case ProviderPoW:
		if o.PoW == nil {
			return nil, errors.New("captcha: pow needs a PoW")
		}
		g.verifier = o.PoW
	case ProviderTurnstile, ProviderHCaptcha:
		if o.Vendor == nil || o.Vendor.provider != o.Provider {
			return nil, fmt.Errorf("captcha: %s needs its Vendor", o.Provider)
		}
		g.verifier, g.siteKey = o.Vendor, o.Vendor.siteKey
	default:
		return nil, fmt.Errorf("captcha: unknown provider %q", o.Provider)
	}
	if g.signals == nil {
		g.signals = NoPressure{}
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	return g, nil
}

// Provider names the gate's provider; ProviderOff for a nil Gate.
func (g *Gate) Provider() string {
	if g == nil {
		return ProviderOff
	}
	return g.provider
}

// SiteKey is the vendor widget's public site key; "" for proof of work.
func (g *Gate) SiteKey() string {
	if g == nil {
		return ""
	}
	return g.siteKey
}

// Origins are the third-party origins the web app's Content-Security-Policy must allow for
// the provider's widget: none for proof of work, which loads nothing from elsewhere.
func (g *Gate) Origins() []string {
	if g == nil {
		return nil
	}
	return slices.Clone(origins[g.provider])
}

// Challenge returns a proof-of-work challenge for action, as hard as the signals say for
// this client. ok is false when the provider is not proof of work.
func (g *Gate) Challenge(ctx context.Context, action Action, ip netip.Addr) (c Challenge, ok bool, err error) {
	if g == nil || g.pow == nil {
		return Challenge{}, false, nil
	}
	p := g.signals.Pressure(ctx, Subject{Action: action, IP: ip})
	c, err = g.pow.Challenge(action, p.Level)
	return c, true, err
}

// Required reports whether a request about s must carry a solved challenge.
func (g *Gate) Required(ctx context.Context, s Subject) bool {
	if g == nil {
		return false
	}
	if s.Action == ActionRegister && g.registerAlways {
		return true
	}
	return g.signals.Pressure(ctx, s).Required
}

// Check lets a request about s through (nil) when no challenge is required, or when solution
// proves one; else it returns RequiredError (no solution), ErrInvalid or ErrUnavailable. A
// solution sent when none is required is not checked (nor spent): below the thresholds a
// request passes as if it had none. The gate's Decisions is told the outcome (Outcome*).
func (g *Gate) Check(ctx context.Context, s Subject, solution string) error {
	if g == nil {
		return nil // off: nothing is decided
	}
	outcome, err := g.check(ctx, s, solution)
	if g.decisions != nil {
		g.decisions.CaptchaDecision(outcome)
	}
	return err
}

func (g *Gate) check(ctx context.Context, s Subject, solution string) (outcome string, err error) {
	if !g.Required(ctx, s) {
		return OutcomeNotRequired, nil
	}
	if solution == "" {
		return OutcomeMissing, RequiredError(s.Action)
	}
	err = g.verifier.Verify(ctx, s.Action, solution, s.IP)
	switch {
	case err == nil:
		return OutcomePassed, nil
	case errors.Is(err, ErrUnavailable):
		// The cause (Redis, the database or the vendor failing) is for the operator; the
		// client is told only to retry.
		g.log.WarnContext(ctx, "captcha could not be checked", "provider", g.provider, "error", err)
		return OutcomeUnavailable, err
	default:
		return OutcomeInvalid, err
	}
}
