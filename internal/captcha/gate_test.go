package captcha_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/captcha"
)

// signals is a hand-written signal source: what the rate limiter will report, set by the test.
type signals struct {
	mu       sync.Mutex
	pressure captcha.Pressure
	// account, when set, is the only account under attack.
	account string
	seen    []captcha.Subject
}

func (s *signals) Pressure(_ context.Context, sub captcha.Subject) captcha.Pressure {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, sub)
	if s.account != "" && sub.Account != s.account {
		return captcha.Pressure{}
	}
	return s.pressure
}

func (s *signals) set(p captcha.Pressure, account string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pressure, s.account = p, account
}

func newGate(t *testing.T, sig captcha.Signals, registerAlways bool) (*captcha.Gate, *captcha.PoW) {
	t.Helper()
	p := newPoW(t, nil, nil, nil)
	g, err := captcha.NewGate(captcha.GateOptions{Provider: captcha.ProviderPoW, PoW: p, Signals: sig, RegisterAlways: registerAlways})
	if err != nil {
		t.Fatal(err)
	}
	return g, p
}

// The signals decide: nothing is asked below the thresholds, a challenge is once they say so,
// and the difficulty follows their level.
func TestGate_Signals(t *testing.T) {
	ctx := context.Background()
	sig := &signals{}
	g, p := newGate(t, sig, false)
	reg := captcha.Subject{Action: captcha.ActionRegister, IP: netip.MustParseAddr("192.0.2.1")}

	if err := g.Check(ctx, reg, ""); err != nil {
		t.Fatalf("no pressure, no solution: got %v, want let through", err)
	}
	sig.set(captcha.Pressure{Required: true, Level: captcha.LevelAttack}, "")
	err := g.Check(ctx, reg, "")
	var ae *auth.Error
	if !errors.As(err, &ae) || ae.Code != "captcha_required" || !strings.Contains(ae.Message, "/api/auth/captcha?action=register") {
		t.Fatalf("required, no solution: got %v, want captcha_required naming where to get one", err)
	}
	c, ok, err := g.Challenge(ctx, captcha.ActionRegister, reg.IP)
	if err != nil || !ok || c.MaxNumber != captcha.Difficulty(captcha.LevelAttack) {
		t.Fatalf("got %+v, %v, %v; want a challenge at the attack level's maxnumber", c, ok, err)
	}
	if err := g.Check(ctx, reg, solved(t, p, captcha.ActionRegister).Encode()); err != nil {
		t.Fatalf("required, solved: got %v, want let through", err)
	}
	if err := g.Check(ctx, reg, "garbage"); !errors.Is(err, captcha.ErrInvalid) {
		t.Fatalf("required, garbage: got %v, want captcha_invalid", err)
	}

	// An account under attack: its sign-ins need a challenge, other accounts' do not.
	sig.set(captcha.Pressure{Required: true}, "victim@example.com")
	victim := captcha.Subject{Action: captcha.ActionSignIn, Account: "victim@example.com"}
	if err := g.Check(ctx, victim, ""); !errors.Is(err, captcha.RequiredError(captcha.ActionSignIn)) {
		t.Fatalf("sign-in to the attacked account: got %v, want captcha_required", err)
	}
	if err := g.Check(ctx, captcha.Subject{Action: captcha.ActionSignIn, Account: "other@example.com"}, ""); err != nil {
		t.Fatalf("sign-in to another account: got %v, want let through", err)
	}
}

// GATEHOUSE_CAPTCHA_REGISTER=always asks every registration, whatever the signals; sign-in
// still follows them.
func TestGate_RegisterAlways(t *testing.T) {
	ctx := context.Background()
	g, _ := newGate(t, nil, true)
	if err := g.Check(ctx, captcha.Subject{Action: captcha.ActionRegister}, ""); !errors.Is(err, captcha.RequiredError(captcha.ActionRegister)) {
		t.Fatalf("register: got %v, want captcha_required", err)
	}
	if err := g.Check(ctx, captcha.Subject{Action: captcha.ActionSignIn}, ""); err != nil {
		t.Fatalf("sign-in: got %v, want let through", err)
	}
	var off *captcha.Gate
	if err := off.Check(ctx, captcha.Subject{Action: captcha.ActionRegister}, ""); err != nil || off.Provider() != captcha.ProviderOff {
		t.Fatalf("off: got %v, provider %q; want nothing required", err, off.Provider())
	}
}

// outcomes records the Decisions a Gate reports.
type outcomes struct {
	mu  sync.Mutex
	got []string
}

func (o *outcomes) CaptchaDecision(outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, outcome)
}

// Every Check reports its outcome, once.
func TestGate_Decisions(t *testing.T) {
	ctx := context.Background()
	sig := &signals{}
	p := newPoW(t, nil, nil, nil)
	rec := &outcomes{}
	g, err := captcha.NewGate(captcha.GateOptions{Provider: captcha.ProviderPoW, PoW: p, Signals: sig, Decisions: rec})
	if err != nil {
		t.Fatal(err)
	}
	reg := captcha.Subject{Action: captcha.ActionRegister}
	_ = g.Check(ctx, reg, "")
	sig.set(captcha.Pressure{Required: true}, "")
	_ = g.Check(ctx, reg, "")
	_ = g.Check(ctx, reg, solved(t, p, captcha.ActionRegister).Encode())
	_ = g.Check(ctx, reg, "garbage")
	want := []string{captcha.OutcomeNotRequired, captcha.OutcomeMissing, captcha.OutcomePassed, captcha.OutcomeInvalid}
	if !slices.Equal(rec.got, want) {
		t.Fatalf("got %q, want %q", rec.got, want)
	}
}
