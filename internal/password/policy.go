package password

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The stable types of a refused password: the auth package answers each as a 422 field error
// ({"loc": ["body", "password"], "msg": Refusal.Message, "type": …}).
const (
	TypeTooShort = "value_error.password.too_short"
	TypeTooLong  = "value_error.password.too_long"
	TypeCommon   = "value_error.password.common"
	TypePersonal = "value_error.password.personal"
	TypeWeak     = "value_error.password.weak"
	TypeBreached = "value_error.password.breached"
)

// Defaults of Policy, after NIST SP 800-63B rev 4 (which asks 15 where the password is the
// only factor) and OWASP's Authentication Cheat Sheet.
const (
	DefaultMinLength = 8
	DefaultMinScore  = 3
	// MinMaxLength is the length NIST requires be accepted (64); a minimum may not exceed it.
	// bcrypt's MaxBytes (72) accepts 64 characters of ASCII or Latin-1-heavy text; 64 Greek
	// or CJK characters are over it and are refused as too long, never truncated.
	MinMaxLength = 64
)

// ErrBreachCheckUnavailable is returned when the breached-password service did not answer
// and the policy fails closed: the password is neither accepted nor refused (a 503).
var ErrBreachCheckUnavailable = errors.New("the breached-password check is unavailable")

// Refusal says why a password is refused. Type is one of the Type constants and never
// changes; Message is safe to show and says what to do; Score, Warning and Suggestions are
// zxcvbn's judgement, the one the meter shows (Score is -1 where the refusal came before
// scoring: too short, too long, breached). It never holds the password.
type Refusal struct {
	Type        string
	Message     string
	Score       int
	Warning     string
	Suggestions []string
}

func (r *Refusal) Error() string { return r.Message }

// BreachChecker says whether a password is known from a breach (HIBP implements it).
type BreachChecker interface {
	// Breached reports whether pw appears in a breach. An error means no answer.
	Breached(ctx context.Context, pw string) (bool, error)
}

// Account is what the user gave about themselves; a password built from it is refused.
type Account struct {
	Email, FirstName, LastName string
}

// Policy decides which new passwords are accepted. No composition rules (NIST: they make
// passwords weaker and harder to keep) and no rotation; a password is refused only when it is
// too short or too long, common, built from the account, weak, or breached.
type Policy struct {
	MinLength int           // in code points; 1 to MinMaxLength
	MinScore  int           // zxcvbn's score, 0 to 4
	Blocklist *Blocklist    // the operator's list of refused passwords; nil for none
	Breached  BreachChecker // nil for no online breach check
}

// DefaultPolicy returns the default policy, without a blocklist or breach check.
func DefaultPolicy() Policy {
	return Policy{MinLength: DefaultMinLength, MinScore: DefaultMinScore}
}

// Validate reports a policy that could not be applied as stated.
func (p Policy) Validate() error {
	if p.MinLength < 1 || p.MinLength > MinMaxLength {
		return fmt.Errorf("password minimum length %d is outside 1–%d", p.MinLength, MinMaxLength)
	}
	if p.MinScore < 0 || p.MinScore > 4 {
		return fmt.Errorf("password minimum score %d is outside 0–4", p.MinScore)
	}
	return nil
}

// Check returns nil when pw may be set for acct, a *Refusal when it may not, or another
// error (ErrBreachCheckUnavailable) when the breach check failed closed. The checks run from
// the cheapest to the one that leaves the server: length, the blocklist and zxcvbn's own
// list of common passwords, the account's own words, the strength score, then breaches.
func (p Policy) Check(ctx context.Context, pw string, acct Account) error {
	if r := p.refuseOffline(pw, acct); r != nil {
		return r
	}
	if p.Breached == nil {
		return nil
	}
	breached, err := p.Breached.Breached(ctx, pw)
	if err != nil {
		return fmt.Errorf("check password: %w", err)
	}
	if breached {
		return &Refusal{Type: TypeBreached, Score: -1,
			Message: "This password has appeared in a data breach, so attackers try it first: choose another."}
	}
	return nil
}

// NeedsChange reports, for a password that just signed in, why the current policy would
// refuse it, or nil. Sign-in is never refused for this: the caller only tells the user.
// An unanswered breach check counts as not breached here.
func (p Policy) NeedsChange(ctx context.Context, pw string, acct Account) *Refusal {
	if r := p.refuseOffline(pw, acct); r != nil {
		return r
	}
	if p.Breached != nil {
		if breached, err := p.Breached.Breached(ctx, pw); err == nil && breached {
			return &Refusal{Type: TypeBreached, Score: -1,
				Message: "This password has appeared in a data breach, so attackers try it first: choose another."}
		}
	}
	return nil
}

func (p Policy) refuseOffline(pw string, acct Account) *Refusal {
	if n := utf8.RuneCountInString(pw); n < p.MinLength {
		return &Refusal{Type: TypeTooShort, Score: -1,
			Message: fmt.Sprintf("ensure this value has at least %d characters", p.MinLength)}
	}
	if len(pw) > MaxBytes {
		return &Refusal{Type: TypeTooLong, Score: -1,
			Message: fmt.Sprintf("ensure this value has at most %d bytes (bcrypt reads no further)", MaxBytes)}
	}
	inputs := UserInputs(acct.Email, acct.FirstName, acct.LastName)
	st := Score(pw, inputs)
	refuse := func(typ, msg string) *Refusal {
		return &Refusal{Type: typ, Message: msg, Score: st.Score, Warning: st.Warning, Suggestions: st.Suggestions}
	}
	if p.Blocklist.Contains(pw) || isTopPassword(pw) {
		return refuse(TypeCommon, "This password is one of the most common passwords, so attackers try it first: choose another.")
	}
	if builtFromAccount(pw, inputs, st.Score < p.MinScore) {
		return refuse(TypePersonal, "This password is built from your email address, your name or the service's name, which attackers try first: choose another.")
	}
	if st.Score < p.MinScore {
		return refuse(TypeWeak, weakMessage(st))
	}
	return nil
}

// weakMessage says what zxcvbn says, in a sentence a person can act on.
func weakMessage(st Strength) string {
	parts := []string{"This password is too easy to guess."}
	if st.Warning != "" {
		parts = append(parts, st.Warning+".")
	}
	for _, s := range st.Suggestions {
		parts = append(parts, strings.TrimSuffix(s, ".")+".")
	}
	return strings.Join(parts, " ")
}

// isTopPassword reports a password that is, whole and unaltered but for case, one of the
// 30,000 common passwords in zxcvbn's list (the one the meter knows too).
func isTopPassword(pw string) bool {
	c, _ := canonical(pw, nil)
	r := rankedDictionaries()[strings.ToLower(c)]
	return r[0] > 0 && utf8.RuneCountInString(pw) <= MaxScoredRunes
}
